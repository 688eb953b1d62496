"""Every sentence the bot says to people, in one place (Chinese).

Templates use str.format; the reply module escapes whatever it inserts, so none of these may
contain corpus text or user input directly.
"""

UNSURE_INTRO = "不太确定报纸上有没有确切答案，下面是最接近的一段："
NOT_FOUND = "报纸上没有找到相关内容。"
NOT_FOUND_HINT = "可以换个说法，或者问问报纸写到的话题，比如：{topics}。发 /list 看全部标题。"
EMPTY_QUESTION = "请直接发一个问题，比如：{example}"
SOURCE = "{paper} {date}"
PARAGRAPH_POS = "第{article}篇 第{paragraph}段"
TRUNCATED = "（段落较长，已截取）"
ARTICLE_PART = "（{part}/{parts}）"

# -- besides questions (bot.intents): small talk, other languages, what is in an issue ----------
GREETING = (
    "你好！我能回答{papers}上的事，直接给出报纸原文。直接发问题就行，比如：{example}\n"
    "想看最新一期有什么，发「今天的报纸有什么新闻」。"
)
THANKS = "不客气！还有想问的，直接发给我就行。"
WHO = (
    "我是{papers}的问答机器人：你问报纸上的事，我找出回答它的那段原文，注明标题和日期；报纸上没有的，我会直说。\n"
    "比如：{example}\n发「今天的报纸有什么新闻」看最新一期的标题，发 /help 看用法。"
)
GOODBYE = "再见！有问题随时来问。"
OTHER_LANGUAGE = (
    "I answer questions in Chinese about a Chinese newspaper ({papers}). Please ask in Chinese, for example: {example}\n"
    "我只回答关于{papers}的中文问题，请用中文提问，比如：{example}"
)
EXAMPLE_FALLBACK = "今天的报纸有什么新闻？"
EXAMPLE_ARTICLE = "「{headline}」讲了什么？"  # an example question when too few quantities make one
ISSUE_HEADER = "{paper} {date}，共{count}篇："
ISSUE_MISSING = "没有收录 {asked} 的报纸，下面是已收录的最新一期。"
ISSUE_HINT = "点下面的标题看全文，也可以直接问报纸上的事。"
ISSUE_HINT_CONSOLE = "想看哪篇，就问「标题」讲了什么。"
ISSUE_MORE = "……还有 {count} 篇，发 /list 看全部标题。"
ISSUE_EMPTY = "还没有收录任何报纸。"
ASKED = "问：{question}"

BUTTON_NEXT = "下一条"
BUTTON_FULL = "全文"
NO_MORE = "没有更多相关段落了。"
STALE_BUTTON = "这个按钮已过期，请重新提问。"

START = (
    "你好！我能回答关于{papers}的问题，直接给出报纸上的原文段落。\n\n"
    "直接发问题就行，点下面的例子试试：\n{examples}\n\n"
    "想看最新一期有什么，发「今天的报纸有什么新闻」。\n"
    "在群里请用 /ask 问题，或者 @我 提问。发 /list 看已收录的报纸和标题。"
)
HELP = (
    "用法：\n"
    "• 私聊：直接发问题\n"
    "• 群里：/ask 问题，或 @{bot} 问题，或回复我的消息\n"
    "• 任意聊天：输入 @{bot} 问题，选一条结果发送\n"
    "• 「今天的报纸有什么新闻」「昨天的报纸」：那一期的标题，点标题看全文\n"
    "• 「标题」讲了什么：那篇的导语\n"
    "• /list 已收录的报纸和标题\n"
    "• /subscribe 关键词：新一期写到它时通知你（答案下面的「订阅」也可以）；/subscriptions 查看和取消\n"
    "• /digest on|off：每出新一期，发来标题（在群里由群管理员设置）\n\n"
    "例子：\n{examples}"
)
ADMIN_HELP = (
    "\n\n管理员：/reload 重新加载报纸，/stats 统计（附近 30 天的图表），/unanswered 没答上的问题；"
    "私聊发送 .txt 文件可添加一期报纸。"
)
ADMIN_HELP_WATCH = "放进报纸目录的文件也会自动加载，并通知管理员。"
LIST_HEADER = "已收录 {count} 期："
LIST_ISSUE = "{paper} {date}（{articles}篇）"
LIST_MORE = "……本页还有 {count} 期，请翻页。"
LIST_PAGE = "第 {page}/{pages} 页"
BUTTON_PREV_PAGE = "« 上一页"
BUTTON_NEXT_PAGE = "下一页 »"
GROUP_ASK_USAGE = "请在 /ask 后面写上问题，比如：/ask {example}"

# -- subscriptions and the digest (bot.subscriptions) -------------------------------------------------
BUTTON_SUBSCRIBE = "订阅"
BUTTON_UNSUBSCRIBE = "取消「{keyword}」"
SUBSCRIBE_USAGE = (
    "请在 /subscribe 后面写上关键词（{low}–{high}个字），比如：/subscribe 文物保护。报纸新一期写到它时，我会通知你。"
)
SUBSCRIBED = "已订阅「{keyword}」。报纸新一期写到它时，我会发消息告诉你。发 /subscriptions 查看或取消。"
ALREADY_SUBSCRIBED = "已经订阅过「{keyword}」了。"
SUBSCRIPTION_LIMIT = "最多订阅 {limit} 个关键词，已经满了。请先用 /subscriptions 取消一些。"
KEYWORD_BAD = "关键词要 {low}–{high} 个字（现在是 {length} 个）。"
SUBSCRIPTIONS_EMPTY = "还没有订阅。发 /subscribe 关键词 订阅，比如：/subscribe 文物保护。"
SUBSCRIPTIONS_HEADER = "已订阅 {count} 个关键词（点按钮取消）："
SUBSCRIPTIONS_DIGEST = "每期标题：{state}（/digest on 或 off）"
DIGEST_ON_TEXT = "已开启"
DIGEST_OFF_TEXT = "未开启"
UNSUBSCRIBED = "已取消订阅「{keyword}」。"
NOT_SUBSCRIBED = "没有订阅「{keyword}」。"
UNSUBSCRIBE_USAGE = "请在 /unsubscribe 后面写上要取消的关键词，或发 /subscriptions 点按钮取消。"
DIGEST_USAGE = "/digest on：每出新一期，把标题发给你；/digest off：不再发送。现在：{state}。"
DIGEST_ON = "已开启：每出新一期，我会把标题发来。"
DIGEST_OFF = "已关闭每期标题。"
GROUP_ADMINS_ONLY = "在群里，只有群管理员可以为本群订阅、取消订阅或设置每期标题。"
SUBSCRIBE_STALE = "这个按钮已过期，请用 /subscribe 关键词 订阅。"
MATCH_HEADER = "{paper} {date} 写到了你订阅的内容："
MATCH_ITEM = "「{keywords}」"
MATCH_MORE = "……还有 {count} 篇。"
DIGEST_HEADER = "新一期到了："
DIGEST_MATCHES = "其中写到你订阅的内容："

THROTTLED = "问得太快了，请 {seconds} 秒后再试。"
ERROR = "抱歉，出了点问题，请稍后再试。"
NOT_ADMIN = "这个命令只有管理员可以用。"

RELOAD_STARTED = "正在重新加载报纸……"
RELOAD_DONE = (
    "已重新加载，用时 {seconds:.1f} 秒。\n"
    "共 {issues} 期、{articles} 篇、{paragraphs} 段。\n"
    "新增：{added}\n删除：{removed}\n修改：{changed}"
)
RELOAD_FAILED = "加载失败，继续使用原来的报纸。有问题的文件：\n{errors}"
RELOAD_BUSY = "正在加载中，请稍后再试。"
WATCH_RELOADED = (
    "报纸目录有变化，已自动加载（用时 {seconds:.1f} 秒）：\n{lines}\n现在共 {issues} 期、{articles} 篇、{paragraphs} 段。"
)
WATCH_ADDED = "新增 {name}（{paper} {date}，{articles}篇）"
WATCH_CHANGED = "修改 {name}（{paper} {date}，{articles}篇）"
WATCH_REMOVED = "删除 {name}"
WATCH_OTHER = "报名表（papers.txt）或词典（userdict.txt）有变化"
WATCH_MORE = "……还有 {count} 个文件"
WATCH_FAILED = "报纸目录有变化，但有文件加载失败，继续使用原来的报纸。有问题的文件：\n{errors}"
NONE = "无"

UPLOAD_NOT_PRIVATE = "请在私聊里发送报纸文件。"
UPLOAD_READ_ONLY = "现在用的是内置报纸，不能添加。请设置 CORPUS_DIR 为报纸目录后重启。"
UPLOAD_BAD_NAME = "文件名不对：{reason}。应为 报纸代号-YYYY-MM-DD.txt，比如 datong-daily-2024-11-03.txt。"
UPLOAD_TOO_BIG = "文件太大（{size} 字节），上限是 {limit} 字节。"
UPLOAD_INVALID = "文件没有通过检查，没有保存：\n{reason}"
UPLOAD_SAVED = "已保存 {name}（{articles}篇、{paragraphs}段）。"
UPLOAD_REPLACED = "已替换 {name}（{articles}篇、{paragraphs}段）。"

STATS = (
    "运行时间：{uptime}\n报纸版本：{version}（{issues}期、{paragraphs}段）\n"
    "提问：{asked}；回答：{answered}；不确定：{unsure}；没找到：{not_found}\n"
    "响应时间中位数：{median_ms:.0f} 毫秒"
)
UNANSWERED_HEADER = "最近没答上的问题（{count}条）："
UNANSWERED_EMPTY = "还没有没答上的问题。"

COMMANDS_PRIVATE = (
    ("start", "开始"),
    ("help", "用法"),
    ("list", "已收录的报纸"),
    ("subscribe", "订阅关键词"),
    ("subscriptions", "我的订阅"),
    ("unsubscribe", "取消订阅"),
    ("digest", "每期标题 on/off"),
)
COMMANDS_GROUP = (
    ("ask", "向报纸提问"),
    ("help", "用法"),
    ("list", "已收录的报纸"),
    ("subscribe", "为本群订阅关键词（群管理员）"),
    ("subscriptions", "本群的订阅"),
    ("unsubscribe", "取消本群的订阅（群管理员）"),
    ("digest", "本群每期标题 on/off（群管理员）"),
)
COMMANDS_ADMIN = (
    ("reload", "重新加载报纸"),
    ("stats", "统计"),
    ("unanswered", "没答上的问题"),
)
