from .cli import main

if __name__ == "__main__":  # worker processes re-import this module; only the real run starts
    raise SystemExit(main())
