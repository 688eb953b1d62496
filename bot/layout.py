"""The layout of an e-paper copy → articles and whole paragraphs.

An issue file's body is a stream of lines: banners, kickers, headlines, subtitles, `本报讯(记者 …)`
leads, blank-line paragraphs (some broken mid-sentence by a page break), photo captions, column
labels and `(下转二版)` markers.  This module reads that shape from layout and punctuation only —
never from any paper's words — and says what it was unsure of as warnings.  Files, decoding and
issues are bot.corpus's; this module knows nothing of them, so the dependency runs one way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import overload

import opencc
from jieba import posseg

MAX_TITLE = 200  # characters of a headline, subtitle, kicker or paper name; longer is not a title


@dataclass(frozen=True)
class Article:
    """One item of an issue: a news article, or a photo with its caption (kind "photo")."""

    headline: str
    paragraphs: Sequence[str]  # a tuple when parsed; read from disk when loaded from a saved index (bot.texts)
    subtitle: str | None = None
    kicker: str | None = None
    section: str | None = None
    byline: str | None = None
    kind: str = "article"
    continued_to: str | None = None  # "3": a (下转3版) marker closed it; the rest is on that page
    resumed_from: str | None = None  # "1": it opened with (上接1版); its head is on that page
    continues: str | None = None  # the file whose article this continues (set by bot.corpus)


# ---------------------------------------------------------------------------------------------
# Line classification

_SENTENCE_END = "。！？!?…;；"
_STATEMENT_END = "。！!…;；"  # … the ends of a sentence that does not ask
_CLOSERS = "”’」』)）】》\"'"
_CLAUSE_PUNCT = "，,、；;：:"
_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
DEEPER_INDENT = 3  # characters more than the text's usual indent: a centred line
_PAGE = r"第?\s*([\dA-Za-z]{1,4}|[一二三四五六七八九十]{1,3})\s*版"
_MARKER = re.compile(rf"[(（〈<＜]\s*(?:(下转|转)|(?:上接|接|紧接))\s*{_PAGE}\s*[)）〉>＞]")
# One bracketed group, round or square, with no bracket inside: "(记者 张三)", "【某某】".
BRACKETED = r"[(（【\[][^()（）【】\[\]]*[)）】\]]"
# A reporter's credit in brackets: "(记者 张三)", "(王五 记者 李四)", "【记者 张三 李四】".
_CREDIT_BRACKET = r"[(（【\[][^()（）【】\[\]]{0,20}(?:记者|通讯员)[^()（）【】\[\]]{0,40}[)）】\]]"
_LEAD_PATTERN = re.compile(
    r"^(?:本报讯|本报[^，,。]{0,12}?(?:讯|电)|(?:新华社|中新社|人民日报|央视新闻|据新华社)[^，,。]{0,16}?(?:电|讯)"
    r"|[\u4e00-\u9fff]{2,6}\d{1,2}月\d{1,2}日(?:电|讯)|据[^，,。\s]{2,12}报道[，,:：]"
    # any paper's or site's short dateline (…报讯, …网15日16时讯, …消息(某报), 某网-某报讯) with a reporter's credit after it
    rf"|[\u4e00-\u9fff\d/／-]{{1,16}}?(?:讯|电|消息)(?:\s*[(（][^()（）]{{1,20}}[)）])?(?=\s*{_CREDIT_BRACKET})"
    # … or no dateline, the reporter's credit opening the text up to a colon ("记者 张三报道:昨日,…"), or
    # in square brackets ("【记者 张三/某地报道】昨日,…"), or a short dateline alone in round ones, as
    # papers abroad set it ("(本报讯)昨日,…", "(某地14日讯)…")
    r"|(?:本报|特约)?(?:见习|实习)?(?:记者|通讯员)[\u4e00-\u9fff·、\s]{2,16}?\s*报道(?=[:：])"
    # (or after the paper's dateline, set apart with spaces: "某某日报讯 记者 张三 日前,…")
    r"|[\u4e00-\u9fff]{2,10}讯\s+(?:记者|通讯员)\s*[\u4e00-\u9fff·]{2,4}(?=\s+[^\s\u4e00-\u9fff]*[\u4e00-\u9fff]{1,8}[，,])"
    # (a paper's short name before it, and a space for the colon: "某报记者 张三 报道 说起…")
    r"|[\u4e00-\u9fff]{1,4}报(?:记者|通讯员)\s[\u4e00-\u9fff·、\s]{2,16}?\s报道(?=\s+\S)"
    r"|[【(（〔][\u4e00-\u9fff]{0,4}(?:记者|通讯员)[^【】()（）〔〕]{1,20}?报[道导][】)）〕](?=\s*\S)|[(（][\u4e00-\u9fff\d]{1,12}?(?:讯|电)[)）](?=\s*\S))"
    # the reporter's credit: in brackets, or set without them up to a colon ("本报讯通讯员张三报道:")
    r"(?:\s*[(（【][^)）】]{1,40}[)）】]|\s*(?:本报|特约)?(?:记者|通讯员)[\u4e00-\u9fff·、\s]{2,16}?\s*报道(?=[:：]))?"
)
# What may follow a credit on its line: a note of who provided or where from ("信息来源:…",
# "线索提供 张三", "图片提供:…").
_AFTER_CREDIT = r"(?:\s+[\u4e00-\u9fff]{0,4}(?:来源|提供)[:：]?[\s\u4e00-\u9fff·]{0,30})?"
_CREDIT = re.compile(
    r"(?:(?:新华社|中新社|本报|人民日报)?(?:特约)?(?:摄影)?(?:记者|通讯员|摄影|摄)[\s\u4e00-\u9fff·]{1,24}?摄"
    r"|[(（][^()（）]{1,30}摄[)）]|\s[\u4e00-\u9fff·]{2,5}\s?摄|(?:新华社|中新社)发(?:\s*[\u4e00-\u9fff·]{2,12}摄)?"
    r"|[\u4e00-\u9fff·]{2,4}\s?[/／]\s?摄|[。！？!?”」][\u4e00-\u9fff·]{2,4}[ \u3000]+摄"
    # the photographers' names run together after the caption's last sentence ("…。张三李四王五摄")
    r"|[。！？!?”」][\u4e00-\u9fff·]{2,16}(?<!拍)摄)"
    rf"\s*[)）]?{_AFTER_CREDIT}\s*$"
)
# The buttons of an e-paper web page, copied along with its text: "3上一篇  下一篇4 放大 缩小 默认".
_E_PAPER_UI = (
    r"上一篇|下一篇|上一版|下一版|上一期|下一期|放大|缩小|默认|关闭|返回目录|版面导航|打印本页|打印|【PDF版】|PDF版"
    r"|通版阅读请点击[:：]?|展开通版|收缩通版"  # (a reader's buttons for the spread of two pages)
    r"|本版导读|本期导读"  # (the reader's list of the page's items)
    r"|设为首页|加入收藏|点击收藏"  # (a site's buttons)
    # … a reader's panels and empty field labels ("版面概览", "标题导航", "文章标题"), its first and last
    # page ("首版", "末版"), its way home ("数字报首页"), and a page's share buttons ("分享到", "QQ空间")
    r"|版面概览|标题导航|数字报首页|网站首页|返回首页|返回版面|首版|末版|文章标题|文章内容|文章作者"
    r"|分享到[:：]?|QQ好友|QQ空间|微信好友|微信朋友圈|朋友圈|微信|微博"
    r"|\d{4}年\d{1,2}月\d{1,2}日|星期[一二三四五六日天]|[大中小]字(?=\s|$)"  # (the text's size: "大字 中字 小字")
)
# A page's name after its number ("第05版:文 体", "B3:社会"), and what a county paper's web edition sets
# after it: the issue's serial number and the date it was printed ("总第1234期 >2020-01-02编印").
_PAGE_NAME = r"[^，,。；;！？!?:：]{0,14}?"
_ISSUE_TAIL = r"(?:\s*总第\s*\d+\s*期)?(?:\s*[>》]?\s*\d{4}-\d{1,2}-\d{1,2}\s*编印)?"
# Page furniture of an e-paper copy: editor credits, page and date headers, a site's bare date and
# time ("2024-01-02 08:09:10"), jump lines.
_FURNITURE = re.compile(
    # (a site may set the editor's field in brackets: "[责任编辑:张三]")
    r"^[\[【(（]?\s*(?:本版)?(?:责编|责任编辑|编辑|校对|责校|美编|组版|版式设计|版式|制图|审读|图片编辑|视觉)\s*[:：]"
    # … the reader's tip and its reward, under a closing credit ("线索提供:陈女士", "报料奖金:100元")
    r"|^(?:新闻)?(?:线索提供|报料人|报料奖金|线索奖金|报料热线)\s*[:：][^。；;]{0,20}$"
    r"|^(?:本版)?(?:责任编辑|责任校对|校对|美编|组版)\s+[\u4e00-\u9fff·]{2,4}(?:\s|$)"
    # … the date, maybe after the paper's name ("某某日报 2020年01月02日 星期四"; an e-paper's copy may cut
    # the weekday off, or space its figures: "2020年01月02日 星期", "2020 年 1 月 2 日 星期")
    r"|^(?:[\u4e00-\u9fff]{2,12}\s+)?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:(?:星期|周)[一二三四五六日天]?)?\s*$"
    # … the paper in guillemets with the date and page ("《某某报》(2020年01月02日 01版)"), maybe in an
    # empty author field
    r"|^(?:作者\s*[:：]\s*)?《\s*[^《》\s]{1,20}\s*》\s*[(（]?\s*\d{4}年\d{1,2}月\d{1,2}日\s*(?:第\s*)?[A-Za-z]?\d{1,3}\s*版\s*[)）]?$"
    # … a site's keywords (its editor's field may be glued after them), an empty date field, a word count
    r"|^关键词\s*[:：]|^(?:发布|更新)?(?:时间|日期)\s*[:：]\s*$|^(?:文章)?字数\s*[:：]\s*\d+$"
    # … an empty column field of an archive's page ("专栏:" with no column named)
    r"|^(?:专栏|栏目)\s*[:：]\s*$"
    # … a site's path to the page, three steps or more ("某某网首页 > 新闻中心 > 正文")
    r"|^(?:[您当现]\S{0,4}位置\s*[:：]\s*)?[^>»。，,！？!?]{1,12}(?:\s*(?:>>?|»)\s*[^>»。，,！？!?]{1,12}){2,}$"
    # … a figure alone: a page's number, a share or comment counter ("0"); a field's closing bracket
    # alone, its value broken off above it ("[编辑:" / "张三" / "]")
    r"|^\d{1,6}$|^[\]】)）]$"
    # … a site's date in brackets with the word for posted after it ("[2020.01.02] 发表")
    r"|^[\[【(（]\s*\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\s*[\]】)）]\s*(?:发表|发布|更新)?$"
    # … a site's comment counter and buttons ("已有0人发表了评论", "共有3条评论", "我要评论")
    r"|^(?:已有|共有)?\s*\d+\s*(?:人|条)(?:发表了?|参与了?)?\s*评论$|^(?:我要评论|发表评论|查看评论|网友评论|提交评论|评论\s*[:：])\s*(?:[(（]\d+[)）])?$"
    # … its reading counter and its label over the text ("阅读数:876", "内容详情")
    r"|^(?:阅读|浏览|点击)(?:数|量|次数)\s*[:：]\s*\d+$|^内容详情$"
    # … an e-paper reader's page code and date ("A10 2020年01月02日", maybe with the weekday)
    r"|^[A-Za-z]?\d{1,3}\s+\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:(?:星期|周)[一二三四五六日天])?$"
    # … what a page's source leaves of its untitled title and its logo's name ("Untitled Document", "logo")
    r"|^(?:Untitled\s+Document|无标题文档|logo|LOGO|Logo)$"
    # … an e-paper reader's line of the date, the paper and the page, set apart by dashes
    # ("日期:[2020年01月02日] -- 某某报 -- 版次:[A1]")
    r"|^日期\s*[:：]\s*\[?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\]?\s*(?:-{1,2}|—{1,2})\s*[^\s\-—]{2,12}"
    r"\s*(?:-{1,2}|—{1,2})\s*版[次面]\s*[:：]\s*\[?\s*[A-Za-z]?\d{1,3}\s*\]?$"
    # … a stray mark of the page's script or layout alone on its line ("\\", "/", "|")
    r"|^[\\/／|｜]{1,3}$"
    # … the site's address for stories ("投稿邮箱:…@…")
    r"|^(?:投稿|联系|新闻)?(?:邮箱|信箱|E-?mail|email)\s*[:：]\s*\S+@\S+$"
    # … a link to the item before or after, with its title ("上一篇:某某某某")
    r"|^(?:上一篇|下一篇|上一条|下一条)\s*[:：]"
    # … the e-paper site's title ("某某日报电子报", "某某晚报数字版"), and its date line with the paper's
    # name run on and the date in figures ("某某日报2020.01.02星期四")
    r"|^[\u4e00-\u9fff]{2,10}报\s*(?:电子报|数字报|电子版|数字版)$"
    r"|^(?:[\u4e00-\u9fff]{2,12}\s*)?\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\s*(?:星期|周)[一二三四五六日天]$"
    # … an e-paper reader's fields: the paper it shows, its font-size buttons ("当前报纸名称:某某日报", "字号:大 中 小")
    r"|^(?:当前)?报(?:纸|刊)名称\s*[:：]\s*\S{2,12}$|^字[号体]\s*[:：]\s*(?:[大中小]\s*){0,3}$"
    rf"|^第?\s*[A-Za-z]?[0-9一二三四五六七八九十]+(?:\s*[-–]\s*\d+)?\s*版\s*(?:[:：·(（]\s*{_PAGE_NAME})?{_ISSUE_TAIL}$"
    rf"|^[A-Za-z]\d{{1,2}}\s*[:：]\s*{_PAGE_NAME}\s*总第\s*\d+\s*期{_ISSUE_TAIL}$"
    # (with the role of an author field left without a name: "2020-01-02 本报记者")
    # (… or its view counter, maybe empty: "2020-01-02 08:09 浏览人次:")
    r"|^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+(?:本报)?(?:记者|通讯员))?"
    r"(?:\s+(?:浏览|阅读|点击)(?:人次|次数|量)?\s*[:：]?\s*\d*)?$"
    # … also day first with dots ("02.01.2020  08:09"), or a forum's post line with its buttons
    # ("发表于 2020-1-2 08:09:10 | 只看该作者 | 显示全部楼层")
    r"|^\d{1,2}\.\d{1,2}\.\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
    # … or with slashes ("02/01/20", "2020/01/02 08:09"), or a blog's weekday first and the year last
    # ("星期四, 1月 2, 2020", maybe with its view counter)
    r"|^(?:\d{1,2}/\d{1,2}/\d{2}(?:\d{2})?|\d{4}/\d{1,2}/\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
    r"|^星期[一二三四五六日天][,，]?\s*\d{1,2}月\s*\d{1,2}[,，]\s*\d{4}(?:\s+(?:\d+\s*)?(?:Views|views|阅读|浏览)(?:\s*\d+)?)?$"
    r"|^(?:发表于|发布于)\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*[|｜]\s*[^|｜\s]{1,8})*\s*$"
    rf"|^(?:[\d\s<>《》←→▲▼◀▶|｜·]*(?:{_E_PAPER_UI})[\d\s<>《》←→▲▼◀▶|｜·]*)+$"
    r"|^[>》→▶]*\s*(?:详见|下转|转|见)\s*第?\s*[0-9A-Za-z一二三四五六七八九十]{1,4}\s*版\s*$"
)
# (Its spaces are taken from where their run starts, or none right before the word: from every
# space of a long run, each start would scan the rest of it, and thousands would take seconds.)
_UI_WORDS = re.compile(rf"(?:(?<!\s)\s*|(?<=\s))(?:{_E_PAPER_UI})\s*")
# An e-paper reader's label before a page line ("版面:第06版:要闻", "当前版: 07版").
_BEFORE_PAGE = re.compile(r"^(?:版面|当前版)\s*[:：]\s*(?=第|[A-Za-z]?\d)")
_NAME = r"[\u4e00-\u9fff·]{2,4}"  # a person's name
# A site's line giving only where a story came from and when: "来源:某某日报 2020-01-02 08:09:10",
# "2020-01-02 08:09 稿源:某某日报",
# "2020年01月02日08:09 来源:某某日报", "来源:某某网" — it names no author, and it is no text; a site
# may set its own address after it ("来源:某某日报 2020-01-02 08:09   https://www.example.com/"), or the
# reporters its byline names again under the head ("2020/01/02/ 08:09 来源:某某日报 记者张三 李四").
# (a two-digit year only with the time after it: "20-01-02 08:09")
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"  # a time of day, seconds or not
_DATE_TIME = (
    rf"(?:\d{{4}}(?:\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|-\d{{1,2}}-\d{{1,2}}|/\d{{1,2}}/\d{{1,2}}/?)\s*(?:{_CLOCK})?"
    rf"|\d{{2}}-\d{{1,2}}-\d{{1,2}}\s+{_CLOCK})"
)
# "来源", "稿源", a mirror's "本文来源", the text's and the photos' ("消息、图片来源")
_SOURCE_KEY = r"(?:本文|文章|发布|(?:消息|文字|图片)(?:[、/和](?:消息|文字|图片))?)?(?:来|稿)源"
_SOURCE_LINE = re.compile(
    rf"^(?:{_DATE_TIME}\s*)?{_SOURCE_KEY}\s*[:：]\s*[^\s:：，,。；;]{{1,20}}(?:\s+(?:(?:发布)?(?:时间|日期)\s*[:：]\s*)?{_DATE_TIME})?"
    rf"(?:\s+https?://[^\s，,。]+|\s+(?:记者|通讯员)\s*{_NAME}(?:\s+{_NAME}){{0,3}})?"
    r"(?:\s+(?:参与互动|评论|点击|阅读|浏览)\s*[(（]\s*\d*\s*[)）])?"  # a counter after it: "参与互动(0)"
    r"(?:\s+(?:字号|字体)\s*[:：]?\s*(?:[大中小TtAa+＋\-－]\s*){0,6})?$"  # … or the text-size buttons: "字号:TT"
    # … or the outlet's account it was posted on ("来源:某某晚报-某某网 | 某某网官方微博")
    rf"|^(?:{_DATE_TIME}\s*)?{_SOURCE_KEY}\s*[:：]\s*[^\s:：，,。；;]{{1,20}}\s+[^\s:：，,。；;！？!?]{{2,12}}$"
)
# … or its address first, then the date and time and where the story came from
# ("http://www.example.com 2020年01月02日08:09 某某报", "… 2020-01-02 8:09 来源:某某网"); or its fields
# set with no space between them and none naming an author ("来源:某某报发布者:时间:2020-01-02"); or an
# e-paper reader's title slot: the paper, the page and its name, the date ("某某报 -A08版:要闻-2020年01月02日").
_ADDRESS_LINE = re.compile(
    rf"^https?://[^\s，,。]+\s+{_DATE_TIME}(?:\s*(?:(?:来|稿)源\s*[:：]\s*)?[^\s:：，,。；;！？!?]{{1,20}})?"
    r"(?:\s*【?\s*字[号体][^】]{0,12}】?)?$"  # (the text-size buttons after it: "【字号")
)
_PACKED_FIELDS = re.compile(
    rf"^来源\s*[:：]\s*[^\s:：，,。；;]{{1,20}}?(?:(?:发布者|编辑)\s*[:：]\s*[^\s:：，,。；;]{{0,12}}?)*"
    rf"(?:发布)?(?:时间|日期)\s*[:：]\s*{_DATE_TIME}$"
)
# … or the outlet and the date and time only ("某某网-某某报 2020-01-02 08:09:10"), maybe with the paper
# it took the story from after them ("某某网 2020-01-02 08:09:10 某某报"); a full date in figures may
# stand without the time ("某某日报  2020-01-02", "某某网友  2020-01-02  某某网").
_OUTLET_DATE = re.compile(
    rf"^[^\s:：，,。；;！？!?]{{2,20}}\s+\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:\s+{_CLOCK})?(?:\s+[^\s:：，,。；;！？!?]{{2,12}})?$"
)
# … or the date and time first, then the outlet, maybe behind the font-size buttons and before a
# link ("A-A+2020年01月02日08:09某某日报评论").
_FONT_BUTTONS = re.compile(r"^A\s*[-－]\s*A\s*[+＋]\s*")
_DATED_OUTLET = re.compile(
    rf"^\d{{4}}(?:\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|-\d{{1,2}}-\d{{1,2}})\s*{_CLOCK}\s*"
    # (the outlet maybe in guillemets: "2020-01-02 08:09:10 《某某日报》")
    rf"(?:[\u4e00-\u9fff]{{1,10}}?(?:报|网|台|社|刊|客户端)|《[\u4e00-\u9fff]{{1,10}}?(?:报|刊)》)(?:\s*(?:评论|分享|收藏|打印))*$"
)
_TITLE_SLOT = re.compile(
    r"^[\u4e00-\u9fff]{2,12}\s*[-—]\s*[A-Za-z]?\d{1,3}(?:\s*[-—]\s*[A-Za-z]?\d{1,3})?\s*版\s*[:：]?"
    r"[^\s:：，,。；;！？!?]{0,14}?\s*[-—]\s*\d{4}年\d{1,2}月\d{1,2}日$"
)
# A reader's date field alone on its line, in figures ("日期:01-02", "出版日期:2020-01-02"); a notice's
# "时间:5月1日" or "日期:2020年5月1日" is text.
_NUMERIC_DATE = r"(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}"
_DATE_FIELD = re.compile(
    rf"^(?:发布|刊发|出版)?日期\s*[:：]\s*{_NUMERIC_DATE}(?:\s+{_CLOCK})?$"
    # … or a site's time stamp, the clock before or after the date, maybe its zone ("更新时间:14:25 2020-01-02 HKT")
    rf"|^(?:发布|发表|更新)?时间\s*[:：]\s*(?:{_CLOCK}\s+{_NUMERIC_DATE}|{_NUMERIC_DATE}\s+{_CLOCK})(?:\s*[A-Z]{{2,4}})?$"
)
# A site's note of the headline the story had in print ("原标题:某某"), over or under the one it gives.
_ORIGINAL_HEADLINE = re.compile(r"^原标题\s*[:：]\s*[^。！？!?]{1,60}$")
# A reader's field left unfilled in its template ("第[db:版面标题1]版"): it stands for the page's number.
_UNFILLED_FIELD = re.compile(r"\[[A-Za-z]{1,8}:[^\[\]]{1,20}\]")


_T2S = opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """The line in Simplified script, for the patterns of furniture and site fields to read a page
    in Traditional script too ("編輯:", "來源:"); the line itself if the conversion changes its length
    (so a position in the one is one in the other)."""
    converted: str = _T2S.convert(text)
    return converted if len(converted) == len(text) else text


def _lead(text: str) -> re.Match[str] | None:
    """The dateline a lead opens with, read in Simplified script ("本報訊(記者 張三)" too); its span is
    the line's as printed (the conversion keeps the length, or the line is read as it is)."""
    return _LEAD_PATTERN.match(_simplified(text))


# A character's reading in brackets after it, left by a site's script converter ("來(lái)源").
_READING = re.compile(r"(?<=[\u4e00-\u9fff])\([a-z\u00e0-\u01dc]{1,7}\)")


# A site's navigation bar, copied over the story ("首页 新闻 政务 党建 民生 视频"): the channels of a
# news site, by their usual names (with "频道", "中心" or "网" after them, or not). A line of short
# words set apart is also how a list of names is printed, so the bar is told by these words: most of
# its entries, three at least, and four entries or more.
_CHANNEL_NAMES = (
    "首页 主页 新闻 要闻 时政 政务 党建 民生 社会 本地 国内 国际 财经 经济 产经 体育 娱乐 文化 文旅 旅游 教育"
    " 健康 科技 房产 汽车 视频 图片 图说 专题 评论 观点 法治 生活 军事 互动 论坛 直播 数字报 电子报 读报 服务"
    " 理论 县区 乡镇 部门 公告 通知 招聘 融媒 廉政 环保 农业 美食 便民 关于我们 联系我们 网站地图"
)
_SITE_CHANNELS = frozenset(_CHANNEL_NAMES.split())
_CHANNEL_SUFFIX = re.compile(r"(?:频道|中心|网|栏目)$")


# A site's notice to an old browser ("您的IE浏览器版本太低,请升级…"), copied under the text.
# (It speaks to the reader, "您的", "当前", "请…": a story's sentence on a browser's new version does not.)
_BROWSER_NOTICE = re.compile(
    r"^(?=[^。]{0,30}(?:您|你|当前|请))[^。]{0,12}浏览器[^。]{0,40}?(?:版本|升级|兼容|不支持)[^。]{0,40}[。.!！]?$"
)


# … and its copyright notice ("凡本网注明“来源:某某网”的所有作品,…未经本网授权不得转载…", "版权声明…").
_COPYRIGHT_NOTICE = re.compile(
    r"^(?:版权声明|凡本(?:网|站|报|刊)(?:注明|所载|刊登|刊载)|本(?:网|站)(?:所载|所有|注明)|未经本(?:网|站|报)(?:书面)?授权)"
    r".*(?:转载|版权|授权)"
)


# … and its footer: its licence number ("皖ICP备12345678号"), its rights ("Copyright © 2007-2021 …
# All Rights Reserved", "所有内容为某某报社版权所有,未经许可不得转载"), its telephones ("广告电话:… 新闻热线:…").
_FOOTER = re.compile(
    r"ICP[备証证]|^(?:Copyright|©|版权所有)|All\s+Rights\s+Reserved|版权所有.{0,40}(?:转载|镜像|复制)|\s版权所有(?:\s|$)"
    r"|^(?:[\u4e00-\u9fff]{2,8}\s*[:：]\s*[\d\-－()（）]{7,}\s*){2,}$",
    re.IGNORECASE,
)
FOOTER_MAX = 200  # characters of a site's footer line at most
# (what a line must hold to be looked at as one of them: plain substring tests, most lines fail them fast)
_NOTICE_WORDS = ("浏览器", "瀏覽器", "ICP", "opyright", "©", "版权所有", "版權所有", "Rights", "电话", "電話", "热线", "熱線")
_NOTICE_OPENINGS = ("版权", "版權", "凡本", "本网", "本網", "本站", "未经", "未經")
_ENTRY_GAP = re.compile(r"[\s|｜·•/／]+")


def _site_chrome(text: str) -> bool:
    """What a site sets around every story, however long: its navigation bar, its browser and
    copyright notices, its footer. (Most lines show none of their marks, and are not converted.)"""
    gaps = text.count(" ") + text.count("\u3000") + text.count("|") + text.count("｜")
    if gaps >= 3 and len(text) <= UI_LINE_MAX and _nav_bar(_simplified(text)):
        return True
    if not (text.startswith(_NOTICE_OPENINGS) or any(word in text for word in _NOTICE_WORDS)):
        return False
    text = _simplified(text)
    # (a footer is no sentence: a paragraph of a story on licences or piracy keeps its "ICP证" or
    # "版权所有…复制")
    footer = len(text) <= FOOTER_MAX and "。" not in text and _FOOTER.search(text)
    return bool(_BROWSER_NOTICE.match(text) or _COPYRIGHT_NOTICE.match(text) or footer)


def _nav_bar(text: str, share: float = 2 / 3) -> bool:
    """A site's navigation bar: four entries or more, most of them (`share`) a news site's channels."""
    entries = _ENTRY_GAP.split(_simplified(text).strip())
    if len(entries) < 4 or not all(re.fullmatch(r"[\u4e00-\u9fff]{1,6}", e) for e in entries):
        return False
    channels = sum(1 for e in entries if e in _SITE_CHANNELS or _CHANNEL_SUFFIX.sub("", e) in _SITE_CHANNELS)
    return channels >= 3 and channels >= share * len(entries)


def _is_furniture(text: str) -> bool:
    """Page furniture, also with the web page's buttons after it ("第03版:要闻  上一篇  下一篇"), a
    reader's label before it, or the readings of its characters in brackets."""
    text = _UNFILLED_FIELD.sub("0", _BEFORE_PAGE.sub("", _simplified(_READING.sub("", text))))
    bare = _UI_WORDS.sub(" ", text).strip() or text
    return bool(
        _FURNITURE.search(text)
        or _FURNITURE.search(bare)
        or _site_line(text)
        or _site_line(bare)
        or _TITLE_SLOT.match(text)
        or _ORIGINAL_HEADLINE.match(text)
        or _DATE_FIELD.match(text)
        or _site_chrome(text)
    )


def _site_line(text: str) -> bool:
    """A site's line of where and when a story came from (it may run longer than a title), its
    fields maybe set apart by bars ("2020年01月02日 08:09 | 来源:某某报")."""
    text = " ".join(part.strip() for part in re.split("[|｜]", _simplified(_READING.sub("", text))))
    text = _FONT_BUTTONS.sub("", text)
    return bool(
        _SOURCE_LINE.match(text)
        or _ADDRESS_LINE.match(text)
        or _PACKED_FIELDS.match(text)
        or _OUTLET_DATE.match(text)
        or _DATED_OUTLET.match(text)
    )


# A short line all in parentheses after an article: "(新华社电)", "(北 文)" — a source note; or a
# source alone on its line: "据新华社".
_SOURCE_NOTE = re.compile(r"^[(（][^()（）]{1,20}[)）]$|^据[\u4e00-\u9fff]{2,6}(?:电|消息)?$")
# A first heading line that leads into the next one is a kicker (引题), not the headline.
_KICKER_CUE = re.compile(r"(?:后|时|宣布|指出|强调|表示|要求|认为|提出|称|[:：]|——)$")
# A place's name alone over a headline ("城东区", "某某县"): the item's place, its kicker.
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,5}[省市县区旗盟州镇乡村]$")
# … or the paper's earlier story that this one follows up ("《某某》后续", "《某某》追踪").
_FOLLOW_UP = re.compile(r"^《[^《》]{2,40}》\s*(?:后续|追踪|续报|回音)$")
_DATE_PREFIX = re.compile(r"^\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日[,，]?")
HEADLINE_MAX = 40
UI_LINE_MAX = 4 * HEADLINE_MAX  # characters of a line that may still be a short line among the reader's buttons
LABEL_MAX = 6
CROSSHEAD_MAX = 16  # characters of a crosshead (小标题) inside a signed article; a longer line is a headline
BARE_CROSSHEAD_MAX = 6  # … inside an article with neither byline nor lead (quotes and marks not counted)
COLUMN_NAME_MAX = 12  # letters of a column's name told by its words alone ("百姓心声"); longer is a headline
NOTE_MAX = 4  # characters of a box label under a headline (编者按, 记者手记); longer is a subtitle
CAPTION_MAX = 200  # characters of a photo caption over its credit line
PHOTO_PAGE_LINES = 4  # loose short lines over a caption from which they are a headline and captions
# Box marks set before a column label or a byline: "■ 社会新闻", "□张三".
_MARKS = "■□●○◆◇▲△★☆▼▽◎"
_MARK = re.compile(rf"^[{_MARKS}]{{1,2}}\s*")  # (a mark may be doubled: "○○记者 张三")
# A byline line under a headline or after an article: a role word and names ("本报评论员",
# "本报记者 张三", "记者 李四", "热心读者 王五"), or a name set with a space ("王 平").
# Role words before names; a paper's or agency's own ("某某晚报记者", "某某社记者") by their last
# character, never by name.  At most four modifiers: a run of them would make matching exponential.
_ROLE = (
    r"(?:本报|本台|本刊|特约|首席|主任|高级|资深|见习|实习|助理|热心|全媒体?|融媒体?|摄影|[\u4e00-\u9fff]{1,4}报社?[\s·、]*|[\u4e00-\u9fff]{1,2}社"
    # … a news outlet's, by its last words ("某某新闻 记者")
    r"|[\u4e00-\u9fff]{2,4}新闻\s*"
    # … a site's, with its paper in brackets ("某某网(某某日报)记者"); an outlet's short name before its
    # newsroom's ("某某全媒体首席记者"; 全媒 and 融媒 for short: "某某报全媒记者")
    r"|[\u4e00-\u9fff]{1,4}网(?:[(（][\u4e00-\u9fff]{2,8}[)）])?|[\u4e00-\u9fff]{2,4}(?=全媒体|融媒体)){0,4}"
    r"(?:记者|评论员|通讯员|编辑部|实习生|读者|网友|撰稿人?)"
)
BYLINE_MAX = 32  # characters of a byline line: a paper's newsroom, a reporter and two correspondents
# A repost's note of the paper and day it took the story from, before the paper's byline
# ("摘自2020年01月02日《某某晚报》记者 张三").
_EXCERPTED = re.compile(r"^摘自[^《》]{0,16}《[^《》]{2,12}》\s*")
_DID = r"(?:摄影报道|报道)?"  # what the reporter did, glued on after the name ("本报记者张三摄影报道")
_BYLINE = re.compile(
    rf"^[{_MARKS}]{{0,2}}\s*(?:{_ROLE}(?:\s+{_NAME}(?:[\s、]+{_NAME})*)?"
    # … and colleagues of other roles, each role word set apart ("通讯员 张三 李四 融媒体记者 王五")
    rf"(?:\s+{_ROLE}\s+{_NAME}(?:[\s、]+{_NAME})*)*"
    rf"|(?:本报|特约)+(?:记者|通讯员){_NAME}{_DID}"
    # … a paper's, or two papers' of one group, with a newsroom's and a rank's word ("某某晚报、某报融媒主任记者张三")
    rf"|(?:[\u4e00-\u9fff]{{1,4}}报、)?[\u4e00-\u9fff]{{1,4}}报(?:全媒体?|融媒体?)?(?:主任|首席|高级|资深)?(?:记者|通讯员){_NAME}{_DID}"
    # … a column's reporter, the name set apart ("某某办记者 张三": a name is needed, else it may be a title)
    rf"|[\u4e00-\u9fff]{{2,4}}记者\s+{_NAME}"
    # … a desk's trainee or chief, the name run on ("某某见习记者张三")
    rf"|[\u4e00-\u9fff]{{0,4}}(?:见习|实习|首席)(?:记者|通讯员){_NAME}{_DID}"
    # … a photo report's names alone ("张三 摄影报道", "张三 李四 摄影报道")
    rf"|{_NAME}(?:[\s、]+{_NAME}){{0,3}}\s+摄影报道"
    # … a reporter and colleagues, the first name run on ("记者张三 李四"; one name alone might be a label)
    rf"|(?:记者|通讯员){_NAME}(?:[\s、]+{_NAME})+"
    r"|[\u4e00-\u9fff][ \u3000]{1,2}[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff·]{1,4})*)$"
)
# A site's credit line under a headline: "作者:记者 张三 报道", with the site's date after it
# ("签发日期:2024年01月01日") — a byline, never a subtitle; a photo's "拍摄者:记者 张三" too.
_AUTHOR = re.compile(
    r"^(?:作者|拍摄者?|摄影者)\s*[:：]\s*(?P<names>[^:：。，,；;！？!?]{1,24}?)\s*(?:报道|撰稿|整理)?"
    r"(?:\s+[\u4e00-\u9fff]{0,4}(?:日期|时间)\s*[:：][^。，,；;！？!?]{0,30})?$"
)
# A byline that says who wrote and who shot: "记者 张三/文 李四/图", "某某记者 张三/文", "记者张三/报道" (an
# e-paper may set a stray letter or box mark before it).
_SLASH_WORK = r"(?:[文图摄]|报道|报导|撰文|摄影)"
_SLASH_CREDIT = re.compile(
    rf"^[{_MARKS}A-Za-z]?\s*(?:[\u4e00-\u9fff]{{0,6}}(?:记者|通讯员|实习生)\s*)?"
    rf"(?:[\u4e00-\u9fff·]{{2,4}}(?:[、 ][\u4e00-\u9fff·]{{2,4}}){{0,3}}\s*[/／]\s*{_SLASH_WORK}\s*)+$"
)


# A byline that names the work before the people: "文/图 记者 张三", "文/本报记者 张三 摄/本报记者 李四 王五",
# "■ 撰文/张三", "报道/摄影:张三" (a work word of two characters only before a slash, colon or space:
# "撰文里…" is no credit); one work, or two paired by a slash.
_WORK_WORD = r"(?:(?:撰文|撰稿|采写|采访|报道|报导|文字|摄影|图片|文图|图文)(?=[\s/／:：])|[文图摄])"
_WORK = rf"{_WORK_WORD}(?:\s*[/／]\s*{_WORK_WORD})?\s*[/／:：]?\s*"
_WORK_FIRST_CREDIT = re.compile(rf"^[{_MARKS}]?\s*(?:{_WORK}(?:{_ROLE})?\s*{_NAME}(?:[\s、]+{_NAME}){{0,5}}\s*)+$")
WORK_CREDIT_MAX = 60  # characters of such a line; a longer one is text


def _paired_credit(text: str) -> list[str] | None:
    """The names of a credit line that pairs each outlet with its reporter, a role word ending one of
    the outlets at least: "某某观察 张三 某某新闻记者 李四" → ["张三", "李四"]; else None."""
    tokens = _MARK.sub("", text).split()  # (a box mark may open it: "■通讯员 张三 某某记者 李四")
    if len(text) > HEADLINE_MAX or len(tokens) < 4 or len(tokens) % 2:
        return None
    outlets, names = tokens[0::2], tokens[1::2]
    if not all(re.fullmatch(_NAME, n) for n in names) or not all(re.fullmatch(r"[\u4e00-\u9fff]{2,8}", o) for o in outlets):
        return None
    return names if any(re.search(r"(?:记者|通讯员)$", o) for o in outlets) else None


# A site's line of credits each in brackets, maybe with its date and time, set apart by bars
# ("| 【记者 张三】【编辑 李四】 | 2020-01-02 08:09:10").
_BRACKET_FIELD = re.compile(rf"【\s*(记者|通讯员|摄影|编辑|责编|责任编辑|校对|审核)\s*[:：]?\s*({_NAME}(?:\s+{_NAME})*)\s*】")
_WHO_REPORTED = ("记者", "通讯员", "摄影")


def _bracketed_fields(text: str) -> list[str] | None:
    """The names of the reporters such a line credits (none if it credits editors only), or None
    if the line is no such line."""
    bare = re.sub(r"[|｜]", " ", _simplified(text))
    fields = list(_BRACKET_FIELD.finditer(bare))
    if not fields or re.sub(_DATE_TIME, " ", _BRACKET_FIELD.sub(" ", bare)).strip():
        return None
    return [name for f in fields if f.group(1) in _WHO_REPORTED for name in f.group(2).split()]


def _work_first_credit(text: str) -> bool:
    """A "文/图 记者 张三" byline: it says what the names did before them, and that one of them wrote."""
    bare = text.lstrip(_MARKS + " ")
    # "文/图", "图/文", "文图/", "图文/", "撰文", "采写", "报道/摄影", "摄影/文字"
    wrote = re.match(r"(?:(?:[图摄]|摄影|图片)\s*[/／]\s*)?(?:[文撰采]|报道|报导|图文)", bare)
    return len(text) <= WORK_CREDIT_MAX and bool(wrote) and bool(_WORK_FIRST_CREDIT.match(text))


def _slash_credit(text: str) -> bool:
    """A "张三/文 李四/图" byline: it names a writer ("/文", "/报道"), so it is not only a photo credit."""
    text = _simplified(text)
    wrote = re.search(r"[/／]\s*(?:文|报道|报导|撰文)", text)
    return len(text) <= HEADLINE_MAX and bool(_SLASH_CREDIT.match(text)) and bool(wrote)


# A news site's line of fields under its headline: "时间:2024-01-01 10:00  来源:某报  作者:张三",
# "发布日期 : 2024-01-01 10:00:00 文章来源 : 某报", "来源: 某报 | 日期: 2024年01月01日 | 制作: 张三 | 新闻热线: …",
# the page's path first: "您当前的位置 : 某某网 > 新闻 > 本地  来源: 某某网-某某晚报 2020.01.02 08:09".
_SITE_KEYS = (
    r"(?:发布|发表|更新)?(?:时间|日期)|(?:文章|信息|新闻)?来源|稿源|作者|编辑|责任编辑|制作|(?:新闻|报料)?热线"
    r"|浏览(?:次数)?|点击(?:数|量)?|(?:您的|您当前的|您现在的|您所在的|当前|现在的)位置"
)
_SITE_FIELD = re.compile(rf"(?:^|(?<=\s))({_SITE_KEYS})\s*[:：]")
_LEADING_DATE_TIME = re.compile(rf"{_DATE_TIME}\s+(?=\D)")


def _site_fields(text: str) -> dict[str, str] | None:
    """The fields of such a line (two at least, the first at its start, short values, no
    sentence), else None."""
    if len(text) > 2 * HEADLINE_MAX or any(p in text for p in "，,。；;！？!?"):
        return None
    # (read in Simplified script, the values cut from the line as it is; the site's date and time may
    # come first: "2020-01-02 08:09:10 来源:某某网  作者:张三")
    text = re.sub(r"[|｜]", " ", text)  # (fields set apart by bars: a bar is a space)
    dated = _LEADING_DATE_TIME.match(text)
    start = dated.end() if dated else 0
    keys = list(_SITE_FIELD.finditer(_simplified(text), start))
    if len(keys) < 2 or keys[0].start() != start:
        return None
    ends = [k.start() for k in keys[1:]] + [len(text)]
    fields = {k.group(1): text[k.end() : end].strip() for k, end in zip(keys, ends, strict=True)}
    return fields if all(len(v) <= 30 for v in fields.values()) else None


def _site_furniture(text: str) -> bool:
    """A site's line of fields ("时间:… 来源:…") or of where and when a story came from."""
    return _site_fields(text) is not None or _site_line(text)


def _site_author(text: str) -> str | None:
    """The author a site's field line names ("作者:张三"), if it is such a line and names one: an
    empty 作者 field with the site's date and time after it ("作者: 2024-01-02 08:09") names nobody, nor
    does one that gives the site or the paper itself ("作者:某某网", "作者:某某日报")."""
    fields = _site_fields(text)
    author = fields.get("作者") if fields else None
    if not author or not re.search(r"[^\d\s:：/.\-]", author) or author.endswith(("网", "报", "社")):
        return None  # empty, the date and time only, or the site or paper itself
    return author


# A signature after an article: "——网友@张三", "——编 者".
_SIGNATURE = re.compile(r"^(?:——|──|—)\s*[^。！？!?]{1,80}$")
# A short line framed by dashes on both sides ("—— 春季运动会 ——"): a kicker or a column's tag over a
# headline, not a signature (a signature has no dash after the name).
_FRAMED = re.compile(r"^(?:——|──|—)\s*[^—─。！？!?，,]{1,20}?\s*(?:——|──|—)$")
# A field line of a photo, an event or a notice: "时间:5月1日晚", "地点:某某路口", "联系电话:0123-4567890",
# "投稿邮箱: a@b.cn", "联系人:张三" — a paragraph of its own, not a heading (a notice's closing fields are
# what readers ask for), and not the start of the paragraph under it.
_FACT_LINE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}?(?:时间|地点|电话|热线|邮箱|联系人|地址|网址|传真|邮编)\s*[:：]\s*[^，,。；;:：]{1,40}$"
)
# The source of a quotation (an epigraph's, a verse's): "——某某《某书》", a name right before the work,
# names a work, not a writer of the article; it stays with the quotation it credits.  A reader's
# "——网友@某某 点评《某文》" signs the piece.
_QUOTE_CREDIT = re.compile(r"^(?:——|──|—)\s*[\u4e00-\u9fff·]{0,8}《[^《》]{1,40}》$")
_CREDIT_TAIL = 16  # characters at a paragraph's end that a photo credit takes
_FIELD_OR_DATE = re.compile(r"^[\u4e00-\u9fff]{2,4}\s*[:：]|\d{4}\s*[-/.年]\s*\d{1,2}")
_AUTHOR_FIELD = re.compile(r"\s*作者\s*[:：]\s*([\u4e00-\u9fff·]{2,4}?)\s*(?:来源\s*[:：]\s*\S{2,30})?\s*")
_DATE_ALONE = re.compile(r"[-–—\s]*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*")
_CREDIT_WORDS = {"图", "文", "摄", "整理", "报道", "文/图", "图/文"}
_OUTLET = re.compile(r"[\u4e00-\u9fff]{1,6}(?:报|网|台|社)")  # a paper, site or station by its name
# a role word and a name, maybe with what the reporter did glued on: "本报记者张三摄影报道"
_NAME_TOKEN = re.compile(rf"^(?:{_ROLE})?({_NAME})?{_DID}$")
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、是]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．])"
)  # 一、 （二） 3.
# An editor's note (编者按) opens a box of its own above or under an article's head.
_EDITORS_NOTE = re.compile(r"^[【\[]?(编者按|编者的话|编后语?)[】\]]?(?:\s*[:：]\s*|\s+|$)")
_LABEL_AFTER_TEXT = re.compile(r"(?<=[。！？!?”」])\s*[【\[]?(?:编者按|编者的话|编后语?)[】\]]?\s*[:：]?\s*$")
_ENUMERATED = re.compile(r"^[①-⑳]")  # numbered photo captions or list items: each a paragraph of its own
# Where someone stands in a photo: "张三(左)", "李四（前排右二）" — a short line with it is a caption.
_POSITION = re.compile(r"[(（](?:前排|中排|后排)?[左右中][一二三四五六七八九\d]?[)）]")
POSITION_CAPTION_MAX = 40  # characters of a caption told by its position marks alone


# A photo credit's closing words, and what a credit-only line may hold besides names.
_WORDS_AND_PHOTOS = r"文\s*[/／]\s*[图摄]|[图摄]\s*[/／]\s*文"  # a credit for the text as well as the photos
_CREDIT_END = re.compile(rf"(?:摄|[/／]\s*摄|{_WORDS_AND_PHOTOS})\s*[)）]?" + _AFTER_CREDIT + r"\s*$")
_TEXT_AND_PHOTOS = re.compile(_WORDS_AND_PHOTOS)
_CREDIT_START = re.compile(rf"^(?:(?:{_WORDS_AND_PHOTOS})\s*[:：]?|摄影\s*[:：])\s*")
_CREDIT_ROLE = re.compile(rf"{_ROLE}|摄影|@")


CREDIT_WORD_MAX = 16  # characters of a word of a credit-only line ("某某日报社记者张三"); a longer one is a caption


def _credit_only(text: str) -> bool:
    """A line that is only a photo (or text-and-photo) credit: "本报记者 张三 摄", "张三/摄",
    "文/图 本报记者 张三", "——网友@张三 摄" — names and role words, no sentence."""
    bare = text.lstrip("—─ ")
    rest = _CREDIT_END.sub("", bare) if _CREDIT_END.search(bare) else _CREDIT_START.sub("", bare, count=1)
    if rest == bare or not rest.strip() or len(bare) > 32 or any(p in rest for p in "，,。！？!?；;：:"):
        return False
    if any((len(t) > CREDIT_WORD_MAX or re.search(r"\d", t)) and "@" not in t for t in re.split(r"[\s、/／]+", rest.strip())):
        return False  # a caption's words before the credit ("某某在活动中义卖报纸 记者 张三 摄", "乘5路可直达")
    tokens = re.split(r"[\s、/／]+", _CREDIT_ROLE.sub(" ", rest).strip())
    return bool(_CREDIT_ROLE.search(rest)) or all(len(t) <= 4 for t in tokens)


def _caption_credit(caption: str) -> str | None:
    """The photographer a caption's closing credit names ("…。 记者 张三 摄" → "张三"); None when it
    names an agency only ("新华社发") or no one."""
    credit = _CREDIT.search(caption)
    if credit is None:
        return None
    names = _person(_CREDIT_END.sub("", credit.group()).strip(" 。！？!?”」"))
    if re.fullmatch(r"[\u4e00-\u9fff·]{5,16}", names):
        return names  # several names run together ("张三李四王五"): where one ends, the text does not say
    return names if all(re.fullmatch(_NAME, n) for n in names.split("、")) else None


def _ends_sentence(text: str) -> bool:
    text = text.rstrip(_CLOSERS + " ")
    return not text or text[-1] in _SENTENCE_END


# Who wrote and who shot, in brackets after the last sentence: "张三 文/李四 图", "张三 文 李四 摄".
_NAME_CREDITED = r"[\u4e00-\u9fff·]{2,4}\s*[/／]?\s*[文图摄]"
_BRACKET_CREDIT = re.compile(rf"{_NAME_CREDITED}(?:\s*[/／]?\s*{_NAME_CREDITED}){{1,3}}")
# A source set apart after the last sentence: "…。 据某台", or who provided a photo: "…。 某某公司提供".
_TRAILING_SOURCE = re.compile(r"[。！？!?”」]\s+据[\u4e00-\u9fff]{2,6}$|[。！？!?”」]\s+[\u4e00-\u9fff]{2,12}提供$")
# An aside in brackets after a paragraph's last sentence: "…了。(记者 张三)", "…。(编者注:…)", "…… (记者
# 张三)", or a few of them: "…。(作者:张三) (来源:某报)".
_TRAILING_ASIDE = re.compile(r"[。！？!?…”」]\s*(?:[(（][^()（）]{1,80}[)）]\s*){1,3}$")


def _finished(text: str) -> bool:
    """A paragraph that ends: in a full stop, or in the names, source or bracketed aside set after
    its last sentence ("…了。”本报记者 张三", "…天。 据某台", "…。(记者张三)") — nothing after it
    continues it."""
    if _ends_sentence(text) or _TRAILING_ASIDE.search(text[-90:]):  # the aside is at the end: look there only
        return True
    return bool(_trailing_names(text) or _TRAILING_SOURCE.search(text))


_SOURCE_AFTER_CREDIT = re.compile(r"(?<=[)）])\s*[(（]来源\s*[:：][^()（）]{1,20}[)）]\s*$")


# A name with the place or unit its writer is from in brackets after it: "张三 (某某县)".
_PLACED_NAME = re.compile(r"^([\u4e00-\u9fff]{2,3})\s*[(（][\u4e00-\u9fff]{2,8}[)）]$")


def _a_persons_name(text: str) -> bool:
    """Two or three characters that jieba reads as one person's name ("王平"; not "待续", "完")."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,3}", text):
        return False
    words = posseg.lcut(_simplified(text))
    return len(words) == 1 and words[0].flag == "nr"


def _trailing_names(text: str) -> list[str]:
    """Names set after a paragraph's last sentence: "…了。”本报记者 张三 李四", "…。 张三 图 李四 整理".
    The tail after the last full stop is read token by token (a regex over it would backtrack)."""
    cut = max(text.rfind(c) for c in "。！？!?…”」")  # (a text may end in an ellipsis: "…40年……")
    tail = text[cut + 1 :] if cut >= 0 else ""
    tail = _SOURCE_AFTER_CREDIT.sub("", tail)  # "…。(作者:张三) (来源:某报)": the source names no writer
    field = _AUTHOR_FIELD.fullmatch(tail)
    if field:
        return [field.group(1)]  # a site's fields run on after the text: "…。作者:张三来源:某某网—某某报"
    author = re.fullmatch(r"\s*[(（]作者\s*[:：]\s*([^()（）]{1,30})[)）]\s*", tail)
    credit = re.fullmatch(r"\s*[(（]([^()（）]{1,30})[)）]\s*", tail)
    if author:
        tail = "" if author.group(1).strip().endswith(("网", "报", "社")) else " " + author.group(1)
    elif credit and _ROLE_START.match(credit.group(1)):
        tail = " " + credit.group(1)  # the reporter credited in brackets: "…。(记者 张三)"
    elif credit and re.fullmatch(r"[\u4e00-\u9fff][ \u3000]{1,2}[\u4e00-\u9fff]", credit.group(1)):
        return [credit.group(1)]  # a two-character name set with a space: "…。(王 平)"
    elif credit and _a_persons_name(credit.group(1)):
        return [credit.group(1)]  # the writer's name alone: "…。(张三)"
    elif credit and _BRACKET_CREDIT.fullmatch(credit.group(1)):
        tail = " " + re.sub(r"[/／]", " ", credit.group(1))  # writer and photographer: "…。(张三 文/李四 图)"
    tokens = tail.split()
    if not tokens or len(tail) > 40 or not (tail[:1].isspace() or _ROLE_START.match(tail)):
        return []
    names = []
    for token, after in zip(tokens, [*tokens[1:], ""], strict=True):
        m = _NAME_TOKEN.match(token)
        if token in _CREDIT_WORDS or (m and not m.group(1)):
            continue  # a credit word, or a role word alone
        if _OUTLET.fullmatch(token) and (role := _NAME_TOKEN.match(after)) and not role.group(1):
            continue  # the paper the reporter is of, set apart: "(某某日报 记者 张三)"
        if m is None:
            return []
        names.append(m.group(1))
    return names


_QUOTED_WHOLE = re.compile(r"^[“「][^“”「」。；;]+[”」]$")


def _looks_like_heading(text: str) -> bool:
    """A headline, subtitle, kicker or label: short, no clause punctuation, no final stop (a
    quotation set as the headline keeps its commas: “某某,某某”)."""
    if len(text) > HEADLINE_MAX or text[-1] in _CLAUSE_PUNCT:
        return False
    if any(p in _QUOTED_WHOLE.sub("", text) for p in "，,；;。"):
        return False
    return text.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END


def _titleish(text: str) -> bool:
    """A line that could still be a headline where its place says so: short, no full stop or
    semicolon, not ending in a comma ("向前走，不回头", "…究竟为什么？")."""
    return (
        len(text) <= HEADLINE_MAX
        and not any(p in text for p in "。；;")
        and text[-1] not in _CLAUSE_PUNCT
        and not _ENUMERATED.match(text)
        and not _lead(text)
    )


def _is_label(text: str) -> bool:
    """A column label: a short line, or one set off by a box mark ("■ 社会新闻") or a bar
    ("图说本市丨春天来了")."""
    bare = _MARK.sub("", text)
    return (len(bare) <= LABEL_MAX and " " not in bare) or bool(_MARK.match(text)) or any(c in text for c in "丨｜|")


class _Kind(Enum):
    """What a line is, as the classifier (or the file's markup) says; assembly acts on this only."""

    HEADING = "heading"  # short, unpunctuated: headline, subtitle, kicker or label — its run decides which
    LEAD = "lead"  # opens with a dateline: 本报讯(记者 …), 新华社…电
    CAPTION = "caption"  # ends in a photo credit (… 摄)
    CREDIT = "credit"  # only a photo credit: 本报记者 张三 摄
    BYLINE = "byline"  # 本报评论员, 记者 张三, 王 平: under a headline, or after an article
    SIGNATURE = "signature"  # ——…: a subtitle in a head, a signature after an article
    BODY = "body"  # any other text
    JOIN = "join"  # continues the paragraph above (hard wrap, or `+ `)
    HEADLINE = "headline"  # `# ` markup
    SUBTITLE = "subtitle"  # `## ` markup
    IGNORE = "ignore"  # page furniture, source notes, `// `
    PHOTO = "photo"  # `! ` markup: a caption
    PARA = "para"  # `> ` markup: a paragraph of its own
    NOTE = "note"  # 编者按 (alone: the label; else the label's text): a box of its own


@dataclass
class _Block:
    text: str
    kind: _Kind
    line: int
    continued: bool = False  # a (下转…) marker closed it
    resumes: bool = False  # it opened with (上接…)
    tight: bool = False  # no blank line between it and the line above
    jump: str | None = None  # the page of its (下转…) marker
    resume_page: str | None = None  # the page of its opening (上接…) marker
    promoted: bool = False  # punctuated, but taken as a heading by its place
    indented: bool = False
    markup: bool = False  # a markup line: the editor's word, not a guess
    inline: bool = False  # a crosshead found inside a line of text: it heads the rest of that line
    source: bool = False  # the paper's name alone under a site's title: where the story came from


_MARKUP = (
    ("@ ", _Kind.BYLINE),
    ("## ", _Kind.SUBTITLE),
    ("# ", _Kind.HEADLINE),
    ("// ", _Kind.IGNORE),
    ("+ ", _Kind.JOIN),
    ("> ", _Kind.PARA),
    ("! ", _Kind.PHOTO),
)


_TRAILING_BAR = re.compile(r"\s+[|｜]$")


def _blocks(lines: list[str], first_line: int) -> Iterator[_Block]:
    """Non-blank lines as typed blocks; markup lines are taken at their word."""
    lines = _filled_source_fields(_without_list_bullets(_dedented(_with_lost_indents(lines))))
    indents = Counter(len(found.group()) for ln in lines if ln.strip() and (found := _INDENT.match(ln)))
    uses_indent = indents.total() >= 3
    usual = indents.most_common(1)[0][0] if indents else 0  # the text's paragraph indent
    prev: _Block | None = None  # the block right above (None after a blank line)
    last: _Block | None = None  # the last block with text, which a (下转…) line closes
    resume_page: str | None = None  # a (上接…) line alone: the next block resumes
    for offset, raw in _unpacked(lines):
        number = first_line + offset
        stripped = raw.strip()
        markup = _markup(raw, stripped)
        if markup is not None:
            kind, text = markup
            if text or kind == _Kind.IGNORE:
                prev = last = _Block(text, kind, number, markup=True)
                yield prev
            continue
        if not stripped:
            prev = None
            continue
        # (a web table's bar left at the end of a head or fields line, "标题 |", is no part of it)
        text, jump, resumed = _strip_markers(stripped if "。" in stripped else _TRAILING_BAR.sub("", stripped))
        if not text:
            if jump and last is not None:
                last.continued, last.jump = True, jump
            resume_page = resumed or resume_page
            continue
        resumed = resumed or resume_page
        resume_page = None
        indent = _INDENT.match(raw)
        deeper = uses_indent and indent is not None and len(indent.group()) >= usual + DEEPER_INDENT
        kind = _line_kind(text, raw, prev, uses_indent=uses_indent, resumes=bool(resumed), deeper=deeper)
        note = _EDITORS_NOTE.match(text)
        if note and kind != _Kind.JOIN:
            kind, text = _Kind.NOTE, f"{note.group(1)}\n{text[note.end() :].strip()}"
        inline = _inline_crosshead(text) if kind == _Kind.BODY and not jump and not resumed else None
        if inline:  # a paragraph, a crosshead and the text under it run together on one line
            yield _Block(inline[0], _Kind.BODY, number, tight=prev is not None, indented=bool(_INDENT.match(raw)))
            yield _Block(inline[1], _Kind.HEADING, number, inline=True)
            text, prev = inline[2], None
        block = _Block(text, kind, number, continued=bool(jump), resumes=bool(resumed), tight=prev is not None)
        block.jump, block.resume_page, block.indented = jump, resumed, bool(_INDENT.match(raw))
        prev = last = block
        yield block


# A paragraph, a short crosshead set off by spaces and the text under it run together on one line:
# "…的信息。 某某实录 上午8时整,…。" (a site's copy that lost its line breaks).
_INLINE_CROSSHEAD = re.compile(
    rf"^(\S{{4,{CAPTION_MAX}}}?[。！？!?][”」]?)[ \u3000]+([\u4e00-\u9fff]{{2,{BARE_CROSSHEAD_MAX}}})[ \u3000]+(\S.{{40,}})$"
)


def _inline_crosshead(text: str) -> tuple[str, str, str] | None:
    """The paragraph, the crosshead and the text under it of such a line (the text a sentence at
    least, finished; the crosshead no role word: "…。 记者 张三…" is no crosshead), else None."""
    m = _INLINE_CROSSHEAD.match(text)
    if m is None or not _ends_sentence(m.group(3)) or not re.search("[，,]", m.group(3)) or _ROLE_START.match(m.group(2)):
        return None
    return m.group(1), m.group(2), m.group(3)


# A site's copy that lost its line breaks and set all its paragraphs on one line, one after another:
# a sentence's end, a run of spaces, the next paragraph ("…解决了? 拖把乱放…").
_PARAGRAPH_GAP = re.compile(r"(?:(?<=[。！？!?…][”」’])|(?<=[。！？!?…]))[ \u3000\u00a0]+(?=\S)")
PACKED_LINE_MIN = CAPTION_MAX  # characters of a line that may hold several paragraphs
PACKED_PARAGRAPH_MIN = HEADLINE_MAX  # characters of each paragraph split off such a line


def _packed_paragraphs(text: str) -> list[str]:
    """A long line's paragraphs where it holds several set apart by spaces after a sentence's end
    (each one longer than a headline: a credit after the text stays), else the line alone. A line
    with a crosshead run in between is left to _inline_crosshead."""
    if len(text) <= PACKED_LINE_MIN or _inline_crosshead(text) is not None:
        return [text]
    cuts = [0]
    for gap in _PARAGRAPH_GAP.finditer(text):
        if gap.start() - cuts[-1] > PACKED_PARAGRAPH_MIN and len(text) - gap.end() > PACKED_PARAGRAPH_MIN:
            cuts += [gap.start(), gap.end()]
    cuts.append(len(text))
    return [text[cuts[n] : cuts[n + 1]] for n in range(0, len(cuts), 2)]


# A site's source field with its value on the line below ("来源:" / "某某商报"): one site line.
_EMPTY_SOURCE = re.compile(r"^\s*[\[【(（]?\s*(?:(?:来|來|稿)源|编辑|編輯|责任编辑|責任編輯|责编|責編)\s*[:：]\s*$")


def _filled_source_fields(lines: list[str]) -> list[str]:
    """The lines with an empty source or editor field joined to a short line right below it (its value,
    which alone would read as a head line); the value's line left blank, so numbering holds."""
    out = list(lines)
    for n in range(len(out) - 1):
        value = out[n + 1].strip()
        if _EMPTY_SOURCE.match(out[n]) and value and len(value) <= COLUMN_NAME_MAX and not re.search(r"[，,。；;！？!?]", value):
            out[n], out[n + 1] = f"{out[n].rstrip()}{value}", ""
    return out


def _unpacked(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each line with its offset in the file; where the page's text is all on one line (no other
    line is longer than two headlines), that line's paragraphs one a line, all at its offset. (A
    page of many lines that sets a space after a sentence does so inside its paragraphs.)"""
    long_lines = [n for n, raw in enumerate(lines) if len(raw.strip()) > 2 * HEADLINE_MAX]
    packed = long_lines[0] if len(long_lines) == 1 else None
    text_seen = False  # a sentence read: a line "某某■记者 张三 摄" below it is a caption, not a head
    for offset, raw in enumerate(lines):
        if offset != packed:
            yield from ((offset, part) for part in (_head_and_credit(raw) if not text_seen else [raw]))
            text_seen = text_seen or (bool(raw.strip()) and _ends_sentence(raw.strip()))
            continue
        for part in _packed_paragraphs(raw.rstrip()):
            yield offset, part


# A headline with its credit run on after a box mark: "某某新貌■本报记者 张三 摄".
_MARKED_CREDIT = re.compile(
    rf"^(?P<head>\s*[^\s{_MARKS}。！？!?][^{_MARKS}。！？!?]{{1,{HEADLINE_MAX - 2}}}?)\s*(?P<credit>[{_MARKS}].+)$"
)


def _head_and_credit(raw: str) -> list[str]:
    """The line, or its headline and the credit run on after it (on lines of their own): above the
    text only, where a line is a head or furniture."""
    split = _MARKED_CREDIT.match(raw.rstrip())
    if split is None or not (_credit_only(split["credit"]) or _BYLINE.match(split["credit"])):
        return [raw]
    return [split["head"], split["credit"]]


def _dedented(lines: list[str]) -> list[str]:
    """The lines without the indent they all share (page furniture aside): a web page that indents
    every line says by it only how much deeper its text sits than its headline."""
    widths = [len(m.group()) if (m := _INDENT.match(ln)) else 0 for ln in lines if ln.strip() and not _is_furniture(ln.strip())]
    common = min(widths, default=0)
    return [ln[common:] if ln[:common].isspace() else ln.lstrip() for ln in lines] if common else lines


# A web list's bullet before an item ("• 标题"): the list's, not the paper's.
# (… or a dash before a site's field: "- 发布日期:2020-01-02 08:09:10", "- 消息来源:某某日报社")
_LIST_BULLET = re.compile(r"^([ \t\u3000\u00a0]*)(?:[•]\s+|-\s+(?=[\u4e00-\u9fff]{2,6}\s*[:：]))")


def _without_list_bullets(lines: list[str]) -> list[str]:
    """The lines without a web list's bullets; a bulleted list of a news site's channels, one a
    line ("• 时政" / "• 国际" / …), is its navigation bar set down the page, and goes."""
    out = list(lines)
    run: list[int] = []
    for i, ln in enumerate([*lines, ""]):
        bullet = _LIST_BULLET.match(ln)
        if bullet:
            out[i] = bullet.group(1) + ln[bullet.end() :]
            if len(ln.strip()) <= 10:
                run.append(i)
                continue
        if len(run) >= 4 and _bulleted_nav_bar([out[j] for j in run]):
            for j in run:
                out[j] = ""
        run = []
    return out


_NOT_HAN = re.compile(r"[^\u4e00-\u9fff\s]")


def _bulleted_nav_bar(items: list[str]) -> bool:
    """A bulleted list, one entry a line, that is a site's channels. The bullets already make it a
    list, so half its entries a channel's name will do; what is not a name ("更多>>") is not counted."""
    entries = (_NOT_HAN.sub("", item).strip() for item in items)
    return _nav_bar(" ".join(e for e in entries if e), share=1 / 2)


# An indent the copy could not encode: its full-width spaces became question marks ("????本报讯…").
_LOST_INDENT = re.compile(r"^[ \t\u3000\u00a0]*[?？]{2,}(?=[\u4e00-\u9fff\d“「(（【])")


def _with_lost_indents(lines: list[str]) -> list[str]:
    return [_LOST_INDENT.sub(lambda m: " " * len(m.group()), ln) for ln in lines]


def _markup(raw: str, stripped: str) -> tuple[_Kind, str] | None:
    """The kind and text of a markup line (`# `, `## `, `// `, …; a bare `#` too), else None."""
    for prefix, kind in _MARKUP:
        if stripped.startswith(prefix.strip()) and (stripped == prefix.strip() or raw.lstrip().startswith(prefix)):
            return kind, raw.lstrip()[len(prefix) :].strip()
    return None


def _line_kind(text: str, raw: str, prev: _Block | None, *, uses_indent: bool, resumes: bool, deeper: bool) -> _Kind:
    """What a line of text is, from its shape, its indent and the block right above it (a line set
    deeper than the text's paragraphs is centred, as a head is, not a paragraph's first line)."""
    is_indented = bool(_INDENT.match(raw))
    # (its length without the reader's buttons: they may be spaced wide; a line that long is text)
    short = len(text) <= HEADLINE_MAX or (
        len(text) <= UI_LINE_MAX and len(" ".join(_UI_WORDS.sub(" ", text).split())) <= HEADLINE_MAX
    )
    # (a site's chrome may run longer than a title; `_is_furniture` looks for it in a short line)
    note = bool(_SOURCE_NOTE.match(text) or (_is_furniture(text) if short else _site_chrome(text)) or _site_line(text))
    wrapped = uses_indent and prev is not None and prev.kind == _Kind.BODY and prev.indented and not is_indented
    if wrapped and not resumes and not (note and prev is not None and _finished(prev.text)):
        # A hard-wrapped line under an indented paragraph continues it — unless the paragraph has
        # ended and the line is a note or furniture set flush after it ("…。(来源:某报)" / "(责任编辑:张三)").
        return _Kind.JOIN
    if _credit_only(text):
        return _Kind.CREDIT
    if (note and _bracketed_byline(text)) or _DOTTED_NAME.match(text):
        return _Kind.BYLINE  # "(见习记者 张三)" or "·张 三·" alone after the text signs it
    if note:
        return _Kind.IGNORE  # (a source line may run longer: a site sets its address after it)
    if _labelled_credit(text) or _paired_credit(text):
        return _Kind.BYLINE
    if (credited := _bracketed_fields(text)) is not None:
        return _Kind.BYLINE if credited else _Kind.IGNORE
    if _site_fields(text):
        return _Kind.IGNORE  # the site's date and source, naming nobody
    if _lead(text):
        return _Kind.LEAD
    if _CREDIT.search(text):
        return _Kind.CAPTION
    if len(text) <= BYLINE_MAX and _BYLINE.match(_EXCERPTED.sub("", _simplified(text))):
        return _Kind.BYLINE
    if len(text) <= POSITION_CAPTION_MAX and _POSITION.search(text):
        return _Kind.CAPTION
    return _short_line_kind(text, indented_text=uses_indent and is_indented and not deeper)


# A name alone between middle dots, maybe set with a space: "·张 三·", "· 李四 ·".
_DOTTED_NAME = re.compile(r"^[·•]\s*[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}\s*[·•]$")


def _bracketed_byline(text: str) -> bool:
    """A reporter's credit alone in brackets: "(见习记者 张三)", "（本报记者 李四 王五）", or two
    names or more set apart ("(张三 王 平)")."""
    inner = text[1:-1].strip() if text[:1] in "(（" and text[-1:] in ")）" else ""
    return bool(inner) and ((bool(_ROLE_START.match(inner)) and bool(_BYLINE.match(inner))) or len(_spaced_names(inner)) >= 2)


def _spaced_names(text: str) -> list[str]:
    """The names of a line of names set apart with spaces, a two-character name maybe set with a
    space inside it, kept as set ("张三 王 平" → 张三, 王 平); none if a word is no name's length."""
    words = text.split()
    if not 1 <= len(words) <= 12 or not all(re.fullmatch(r"[\u4e00-\u9fff]{1,3}", w) for w in words):
        return []
    names: list[str] = []
    single = ""
    for word in words:
        if len(word) == 1:
            single, word = (word, "") if not single else ("", f"{single} {word}")
            if not word:
                continue
        elif single:
            return []  # a lone character before a name is no name
        names.append(word)
    return [] if single else names


def _short_line_kind(text: str, *, indented_text: bool) -> _Kind:
    """What a line that is no credit, lead or caption is: a head line, a signature, or text."""
    if _FRAMED.match(text):
        return _Kind.HEADING
    if _FACT_LINE.match(text):
        return _Kind.BODY
    if _SIGNATURE.match(text) and not _ends_sentence(text):
        return _Kind.SIGNATURE
    if _looks_like_heading(text) and not (indented_text and not _MARK.match(text)):
        return _Kind.HEADING
    return _Kind.BODY


def _strip_markers(text: str) -> tuple[str, str | None, str | None]:
    """The line without its page markers, the page of a (下转…) and of an opening (上接…)."""
    jump = resumed = None
    for m in _MARKER.finditer(text):
        if m.group(1):
            jump = _page_number(m.group(2))
        elif m.start() == 0 or not text[: m.start()].strip(_CLOSERS + " "):
            resumed = _page_number(m.group(2))
        elif _looks_like_heading(text[: m.start()].strip()):
            resumed = _page_number(m.group(2))  # a headline repeated over its continuation
    return _MARKER.sub("", text).strip(), jump, resumed


_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九十")}


def page_number(label: str) -> str:
    """ "3", "第三", "A3", "p03" → "3": a page as a number, so markers and file names compare."""
    label = label.strip().lstrip("第").upper()
    if label and all(c in _CN_DIGITS for c in label):
        if len(label) == 1:
            return str(_CN_DIGITS[label])
        tens, _, ones = label.partition("十")
        return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
    digits = re.sub(r"^[A-Z]*0*", "", label)
    return digits or label


_page_number = page_number


def _refine(blocks: list[_Block]) -> list[_Block]:
    """Second look at punctuated short lines: their place makes some of them headings.

    A line set tight against a heading (no blank line between) belongs to its stack ("昨天，记者…"
    over a headline); a short line right above a byline, or right under a column label, is that
    article's headline even with a comma or a question mark in it.  An indented line is a
    paragraph wherever it stands.  A name-shaped line ("秋 思") over another byline, or between
    paragraphs where text goes on under it, is a title (a poem's, a column piece's), not a name.
    """
    for i, block in enumerate(blocks):
        if block.kind != _Kind.BODY or not _titleish(block.text):
            continue
        above = blocks[i - 1] if i > 0 else None
        below = blocks[i + 1] if i + 1 < len(blocks) else None
        over_credit = _over_byline(above, below) or _over_site_line(below)
        if block.indented and not (over_credit and (above is None or above.kind not in _TEXT_KINDS)):
            continue  # indented: a paragraph, unless it opens the copy (or follows a head) over a byline
        between = _between_head_and_lead(above, below)
        if _stacked(block, above, below) or over_credit or between or _under_label(above, below) or _over_note(above, below):
            block.kind, block.promoted = _Kind.HEADING, True
    for i, block in enumerate(blocks):
        above = blocks[i - 1] if i > 0 else None
        below = blocks[i + 1] if i + 1 < len(blocks) else None
        if _speaker_over_head(block, above, below) or _masthead(block, below):
            block.kind = _Kind.HEADING if block.kind == _Kind.BODY else _Kind.IGNORE
        elif _source_label(block, above, below, top=i - 1 == _first_kept(blocks)):
            block.kind, block.source = _Kind.IGNORE, True
        elif _teaser(block, below):
            block.kind = _Kind.IGNORE
    _heads_over_leads(blocks)
    _heads_after_credits(blocks)
    blocks = _without_repeated_heads(_kicker_over_repeated_head(_barred_title(_title_and_byline(_without_title_list(blocks)))))
    for i, block in enumerate(blocks):
        if block.kind == _Kind.BYLINE and not block.markup and not _says_byline(block.text):
            above = blocks[i - 1] if i > 0 else None
            below = blocks[i + 1] if i + 1 < len(blocks) else None
            if _titled(above, below):
                block.kind = _Kind.HEADING
    return blocks


# A speaker's line over the headline of what they said ("某某委员,某某会副主委张三:").
_SPEAKER = re.compile(r"^[^。！？!?；;:：]{2,38}[:：]$")
# A site's summary of the story over it, repeating its lead ("本文摘要:…"); the paper's name alone.
_TEASER = re.compile(r"^(?:本文)?摘要\s*[:：]\s*")
_PAPER_NAME = re.compile(r"^[\u4e00-\u9fff]{2,10}报$")
TEASER_REPEAT = 10  # characters of the lead a site's summary must open with to be taken for its copy


def _speaker_over_head(block: _Block, above: _Block | None, below: _Block | None) -> bool:
    """A speaker's line opening the copy (or after furniture) right over a head line: the kicker of
    the headline under it, not text that the headline and the lead continue."""
    opens = above is None or above.kind in (_Kind.IGNORE, _Kind.HEADING)
    return (
        block.kind == _Kind.BODY
        and opens
        and bool(_SPEAKER.match(block.text))
        and below is not None
        and below.kind == _Kind.HEADING
    )


def _masthead(block: _Block, below: _Block | None) -> bool:
    """The paper's name alone over the issue's date line: the page's masthead, not a column label."""
    return (
        block.kind == _Kind.HEADING
        and not block.markup
        and bool(_PAPER_NAME.match(block.text))
        and below is not None
        and below.kind == _Kind.IGNORE
        and bool(_FURNITURE.match(below.text))
        and "年" in below.text
    )


def _source_label(block: _Block, above: _Block | None, below: _Block | None, *, top: bool) -> bool:
    """The paper's name alone right under the copy's first line, a head, with text under it: a site's
    note of the paper it took the story from (as "来源:某某报" says it), not a box label over the lead."""
    return (
        top
        and block.kind == _Kind.HEADING
        and not block.markup
        and bool(_PAPER_NAME.match(block.text))
        and above is not None
        and above.kind == _Kind.HEADING
        and below is not None
        and below.kind in (_Kind.BODY, _Kind.LEAD)
    )


def _teaser(block: _Block, below: _Block | None) -> bool:
    """A site's summary line whose words the lead under it opens with: a copy, not a paragraph."""
    label = _TEASER.match(block.text) if block.kind == _Kind.BODY else None
    if label is None or below is None or below.kind not in _TEXT_KINDS:
        return False
    summary = _squashed(block.text[label.end() :])
    return len(summary) >= TEASER_REPEAT and _squashed(below.text).startswith(summary[:TEASER_REPEAT])


def _squashed(text: str) -> str:
    return "".join(text.split())


def _without_repeated_heads(blocks: list[_Block]) -> list[_Block]:
    """A page (or a site) may set an article's headline again over its text, in one line or broken
    over two or three: those lines repeat the head above and are dropped, not read as text."""
    heads: set[str] = set()  # the lines of the latest head, and the head's lines joined
    run: list[str] = []
    kept: list[_Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == _Kind.IGNORE:
            kept.append(block)  # (a site's date line between a head and its repeat)
            i += 1
            continue
        under_site_line = kept and kept[-1].kind == _Kind.IGNORE and run
        if block.kind == _Kind.HEADING and not block.markup and under_site_line and _squashed(block.text) in heads:
            i += 1  # the head again under the site's line: a repeat, the head goes on under it
            continue
        if block.kind == _Kind.HEADING and not block.markup:
            run = [*run[-3:], _squashed(block.text)]  # a head has four lines at most (see _heading)
            heads = {*run, "".join(run)}
            kept.append(block)
            i += 1
            continue
        run = []
        repeat = next((n for n in (1, 2, 3) if heads and _repeats(blocks[i : i + n], heads)), 0)
        kept.extend([] if repeat else [block])
        i += repeat or 1
    return kept


_TITLE_LIST = re.compile(r"^标题导航$")  # an e-paper reader's list of the page's headlines


def _without_title_list(blocks: list[_Block]) -> list[_Block]:
    """The lines under an e-paper reader's title list label, up to the next furniture: the page's
    headlines as links, not a head over the text (the article's own head comes again further on)."""
    listed = False
    for block in blocks:
        if block.kind == _Kind.IGNORE:
            listed = bool(_TITLE_LIST.match(block.text))
        elif listed and not block.markup:
            block.kind = _Kind.IGNORE
    return _without_unlabelled_title_list(blocks)


def _without_unlabelled_title_list(blocks: list[_Block]) -> list[_Block]:
    """The short lines a copy opens with, over its first furniture when that is the reader's
    buttons, when the head under them is one of them and none is a finished sentence: the page's
    headlines listed with no label, as a reader sets them over the story it shows. Three lines at
    least: a kicker over a head that comes again under a date line is no list."""
    furniture = next((i for i, b in enumerate(blocks) if b.kind == _Kind.IGNORE), None)
    if furniture is None or furniture < 3 or not _UI_WORDS.search(blocks[furniture].text):
        return blocks  # (only a reader's buttons close the list: a source note under text does not)
    opening = blocks[:furniture]
    if any(b.markup or len(b.text) > HEADLINE_MAX or b.text.rstrip(_CLOSERS + " ")[-1:] in _STATEMENT_END for b in opening):
        return blocks  # (a headline may ask, but it states nothing with a full stop; a short paragraph does)
    after = _first_kept(blocks[furniture:])
    if after is not None and any(b.text == blocks[furniture + after].text for b in opening):
        for block in opening:
            block.kind = _Kind.IGNORE
    return blocks


def _first_kept(blocks: list[_Block]) -> int | None:
    """The position of the copy's first block that is not ignored (page furniture), if any."""
    return next((i for i, b in enumerate(blocks) if b.kind != _Kind.IGNORE), None)


# A site's title: its column's label, a bar, the headline ("某某·动态 | 别大意,还没结束!某地人挤人").
_BARRED_TITLE = re.compile(rf"^([^|｜丨\s]{{2,{COLUMN_NAME_MAX}}})\s*[|｜丨]\s*([^|｜丨。；;]{{4,{HEADLINE_MAX}}})$")


# … or its label in brackets before the title, as a forum sets its board's tag ("[某某城事] 某某,某某").
_TAGGED_TITLE = re.compile(rf"^[\[【]([^\[\]【】\s]{{2,{COLUMN_NAME_MAX}}})[\]】]\s*([^\[\]【】。；;]{{4,{HEADLINE_MAX}}})$")


def _barred_title(blocks: list[_Block]) -> list[_Block]:
    """The copy's first line, a column's label and a headline set apart by a bar, too long or too
    punctuated for a head line, or after a bracketed label: the label (a bar after it, which marks
    it) over the headline."""
    first = _first_kept(blocks)
    if first is None or blocks[first].kind not in (_Kind.BODY, _Kind.HEADING) or blocks[first].markup:
        return blocks
    block = blocks[first]
    title = _TAGGED_TITLE.match(block.text)
    if title is None and block.kind != _Kind.BODY:
        return blocks  # (a short one is a head line already: a label over the page's items, "图说某地丨…")
    title = title or _BARRED_TITLE.match(block.text)
    if title is None or title.group(2)[-1] in _CLAUSE_PUNCT or _ends_sentence(title.group(2)):
        return blocks
    label = _Block(f"{title.group(1)} |", _Kind.HEADING, block.line, promoted=True)
    head = _Block(title.group(2), _Kind.HEADING, block.line, tight=True, promoted=True)
    return [*blocks[:first], label, head, *blocks[first + 1 :]]


def _title_and_byline(blocks: list[_Block]) -> list[_Block]:
    """The copy's first line, a site's title with the byline set on after it ("标题 本报记者 张三 文/图"),
    read as a whole as a byline: the headline over the byline."""
    first = _first_kept(blocks)
    if first is None or blocks[first].markup or blocks[first].kind not in (_Kind.BYLINE, _Kind.CREDIT):
        return blocks
    block = blocks[first]
    parts = re.split(r"[ \u3000]+", block.text, maxsplit=1)
    if len(parts) < 2 or not 4 <= len(parts[0]) <= HEADLINE_MAX or _ROLE_START.match(parts[0]) or not _says_byline(parts[1]):
        return blocks
    if re.search(r"[，,。；;]", parts[0]):
        return blocks
    head = _Block(parts[0], _Kind.HEADING, block.line, promoted=True)
    byline = _Block(parts[1], _Kind.BYLINE, block.line, tight=True)
    return [*blocks[:first], head, byline, *blocks[first + 1 :]]


REPEAT_KICKER_LINES = 3  # unfinished short lines between a site's title and the headline it repeats


def _kicker_over_repeated_head(blocks: list[_Block]) -> list[_Block]:
    """A site's title over the copy, its date line, then the page's own head: a kicker in one to three
    unfinished short lines and the headline again ("标题" / date / "某某昨日在会上说," / "今后将…" /
    "标题").  The lines between are the headline's kicker, set above it as one line; the title
    over them goes, as a repeated head does."""
    first = _first_kept(blocks)
    if first is None or blocks[first].kind != _Kind.HEADING or blocks[first].markup:
        return blocks
    title = _squashed(blocks[first].text)
    between: list[_Block] = []
    for j in range(first + 1, len(blocks)):
        block = blocks[j]
        if block.kind == _Kind.IGNORE:
            continue
        if block.kind == _Kind.HEADING and not block.markup and _squashed(block.text) == title:
            break
        short = block.kind in (_Kind.BODY, _Kind.HEADING) and not block.markup and len(block.text) <= HEADLINE_MAX
        if not short or _ends_sentence(block.text) or len(between) == REPEAT_KICKER_LINES:
            return blocks
        between.append(block)
    else:
        return blocks
    if not any(b.kind == _Kind.BODY for b in between):
        return blocks  # heading lines only: a head of its own, not a kicker glued to text
    kicker = _Block("", _Kind.HEADING, between[0].line, promoted=True)
    for line in between:
        kicker.text = _join(kicker.text, line.text)
    head = blocks[j]
    return [*blocks[:first], *(b for b in blocks[first + 1 : j] if b.kind == _Kind.IGNORE), kicker, head, *blocks[j + 1 :]]


def _repeats(lines: list[_Block], heads: set[str]) -> bool:
    """Short unfinished plain lines whose words, joined, are a head's."""
    short = all(b.kind in (_Kind.BODY, _Kind.HEADING) and not b.markup and len(b.text) <= HEADLINE_MAX for b in lines)
    return short and not _ends_sentence(lines[-1].text) and "".join(_squashed(b.text) for b in lines) in heads


_TEXT_KINDS = (_Kind.BODY, _Kind.LEAD, _Kind.JOIN, _Kind.CAPTION)


def _titled(above: _Block | None, below: _Block | None) -> bool:
    if below is not None and below.kind == _Kind.BYLINE:
        return True
    after_text = above is not None and above.kind in (_Kind.BODY, _Kind.LEAD, _Kind.JOIN) and _finished(above.text)
    return after_text and below is not None and below.kind in (_Kind.BODY, _Kind.LEAD)


def _stacked(block: _Block, above: _Block | None, below: _Block | None) -> bool:
    return (block.tight and above is not None and above.kind == _Kind.HEADING) or (
        below is not None and below.tight and below.kind == _Kind.HEADING
    )


def _over_byline(above: _Block | None, below: _Block | None) -> bool:
    ended = above is None or above.kind not in (_Kind.BODY, _Kind.LEAD) or _ends_sentence(above.text)
    return ended and below is not None and below.kind == _Kind.BYLINE


HEADS_OVER_LEAD = 2  # heading-like lines over a dateline lead taken as its head (place kicker, headline)


def _heads_over_leads(blocks: list[_Block]) -> None:
    """One or two plain heading-like lines right over a dateline lead, after a heading, furniture or
    a finished paragraph, are that item's head — in an indented page too, where an indented line is
    otherwise a paragraph: a new item's head never continues the text above it."""
    for i, block in enumerate(blocks):
        if block.kind != _Kind.LEAD:
            continue
        start = i
        while start > 0 and i - start < HEADS_OVER_LEAD and _head_over_lead(blocks[start - 1]):
            start -= 1
        above = blocks[start - 1] if start > 0 else None
        after_end = (
            above is None
            or above.kind in (_Kind.HEADING, _Kind.IGNORE, _Kind.CAPTION)
            or (above.kind in _TEXT_KINDS and _finished(above.text))
        )
        if start < i and after_end:
            for head in blocks[start:i]:
                head.kind, head.promoted = _Kind.HEADING, True


HEADS_AFTER_CREDIT = 3  # short lines between a credit that ends an article and the next one's text: its head


def _heads_after_credits(blocks: list[_Block]) -> None:
    """A credit line after an article's text ("某报记者 张三 李四 文/图") ends that article; one to three
    short plain lines under it, with text under them, are the next article's head (kicker, headline,
    subtitle) — in an indented page too, where every line is indented and a short one is otherwise a
    paragraph."""
    for i, block in enumerate(blocks):
        if block.kind not in (_Kind.CREDIT, _Kind.BYLINE) or i == 0 or blocks[i - 1].kind not in _TEXT_KINDS:
            continue
        end = i + 1
        while end < len(blocks) and end - i <= HEADS_AFTER_CREDIT and _head_candidate(blocks[end]):
            end += 1
        below = blocks[end] if end < len(blocks) else None
        text_below = below is not None and below.kind in (_Kind.BODY, _Kind.LEAD) and not _head_candidate(below)
        if end - i - 1 in range(1, HEADS_AFTER_CREDIT + 1) and text_below:
            for head in blocks[i + 1 : end]:
                head.kind, head.promoted = _Kind.HEADING, True


def _head_candidate(block: _Block) -> bool:
    """A short plain line that may head the next article; one that asks ("…谁来管?") too."""
    asks = block.text.rstrip(_CLOSERS)[-1:] in "?？"
    return (
        block.kind in (_Kind.BODY, _Kind.HEADING)
        and not block.markup
        and _titleish(block.text)
        and (asks or not _finished(block.text))
    )


def _plain_head(block: _Block) -> bool:
    return block.kind == _Kind.BODY and not block.markup and _looks_like_heading(block.text)


def _head_over_lead(block: _Block) -> bool:
    """A plain head line, or one its place alone makes a head: a headline that asks ("某某路何时能
    修好?") or a kicker that leads into it ("某某村村民想知道:"), right over a dateline lead."""
    plain = block.kind == _Kind.BODY and not block.markup
    return _plain_head(block) or (plain and (_titleish(block.text) or bool(_SPEAKER.match(block.text))))


def _between_head_and_lead(above: _Block | None, below: _Block | None) -> bool:
    """Between a heading line and a dateline lead: a head line (a subtitle with commas in it)."""
    return above is not None and above.kind == _Kind.HEADING and below is not None and below.kind == _Kind.LEAD


def _over_site_line(below: _Block | None) -> bool:
    """Right above a site's field or source line ("时间:… 来源:…", "某某网 2020-01-02 08:09"): the
    headline the site set it under."""
    return below is not None and below.kind == _Kind.IGNORE and _site_furniture(below.text)


def _over_note(above: _Block | None, below: _Block | None) -> bool:
    """Between a heading line and an editor's note: the headline the note introduces."""
    return above is not None and above.kind == _Kind.HEADING and below is not None and below.kind == _Kind.NOTE


def _under_label(above: _Block | None, below: _Block | None) -> bool:
    return (
        above is not None
        and above.kind == _Kind.HEADING
        and bool(_MARK.match(above.text))
        and below is not None
        and below.kind in (_Kind.BODY, _Kind.LEAD)
    )


# ---------------------------------------------------------------------------------------------
# Assembly


# A site's head set as its column's label, a bar and the title ("某某在行动 | 某地某事").
_LABELLED = re.compile(r"^([^|｜\s]{2,8})\s*[|｜]\s*([^|｜]{6,})$")


@dataclass
class _Draft:
    headline: str
    subtitle: str | None = None
    kicker: str | None = None
    section: str | None = None
    byline: str | None = None
    kind: str = "article"
    paragraphs: list[str] = field(default_factory=list)
    continued: bool = False
    continued_to: str | None = None
    resumed_from: str | None = None
    closed: bool = False  # a signature or source note ended it: a short line after it heads a new one
    from_head: bool = False  # heading lines started it (not a caption or a stray paragraph)
    column: bool = False  # an item of a column: under a label, or a one-line head after such an item
    crossheads: int = 0
    captions: int = 0  # paragraphs that are photo captions (at the top, under the head)
    preface: int = 0  # paragraphs that are an editor's note under the head, before the news
    speakers: int = 0  # paragraphs followed by their speaker's "——某某" line (a vox pop)
    photo_report: bool = False  # its byline line, over the text, credits a photo report

    def freeze(self) -> Article:
        label = _LABELLED.match(self.headline)
        if label and self.kicker is None:  # "某某专栏 | 标题": the column's label is a kicker
            self.kicker, self.headline = label.group(1), label.group(2)
        return Article(
            headline=clip_title(self.headline),
            subtitle=clip_title(self.subtitle),
            kicker=clip_title(self.kicker),
            section=clip_title(self.section),
            byline=self.byline,
            kind=self.kind,
            paragraphs=tuple(self.paragraphs),
            continued_to=self.continued_to,
            resumed_from=self.resumed_from,
        )

    def sign(self, name: str) -> None:
        """A name after the text: the article's byline (or one more name of it); the article ends.
        A dateline that credits nobody ("某地1月2日讯", no bracket) gives way to it."""
        if self.byline and _lead(self.byline) and not re.search(r"[(（【\[]|记者|通讯员", self.byline):
            self.byline = None
        for one in name.split("、"):  # each name once: a closing credit may name the head's writers again
            self.byline = f"{self.byline}、{one}" if self.byline and one not in self.byline else (self.byline or one)
        self.closed = True


@overload
def clip_title(title: str) -> str: ...
@overload
def clip_title(title: None) -> None: ...
def clip_title(title: str | None) -> str | None:
    """Titles longer than any headline (a stray `# ` on a paragraph) are cut, not carried whole."""
    return title if title is None or len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def caption_title(text: str, limit: int = 24) -> str:
    """A photo's title from its caption: the first clause after any leading date."""
    body = _DATE_PREFIX.sub("", _CREDIT.sub("", text)).strip()
    first = re.split(r"[。！？!?；;]", body, maxsplit=1)[0].strip() or body
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


_DASHED_IN_TWO = re.compile(r"[^\s—─-](?:——|──|--)[^\s—─-]")


def _is_kicker(first: str, second: str, *, tight: bool = False) -> bool:
    """Kicker + headline rather than headline + subtitle.

    A kicker leads into the title ("…时", "…宣布") or is a descriptive noun phrase above a
    shorter title ("著名科学家…" over "…同志逝世"); a headline ends in its verb ("…开幕").  A
    clause with a comma over a line without one is a kicker; the other way round, a subtitle.  A
    head set tight (no blank lines) is taken as headline + subtitle unless its first line leads in.
    """
    first_clauses, second_clauses = (any(p in t for p in "，,") for t in (first, second))
    if first_clauses != second_clauses:
        return first_clauses
    if _KICKER_CUE.search(first) or _PLACE.match(first) or _FOLLOW_UP.match(first):
        return True
    if tight or len(second) > len(first) - 2 or _DASHED_IN_TWO.search(first):
        return False  # (a line of a title and its own tag, "某某——某某纪念", is a headline, no kicker)
    words = [p for p in posseg.lcut(first.rstrip(_CLOSERS)) if p.word.strip()]
    return bool(words) and words[-1].flag[:1] in ("n", "l")


_NOUN_PHRASE = ("n", "r", "u", "p", "c", "m", "q", "x")  # jieba's tags of a phrase without verb or adjective


def _names_a_column(lines: list[str]) -> bool:
    """Two heading lines whose first only names something ("百姓心声", "我和我的祖国": nouns
    and particles, no verb) over a line that says something: the first is the column's label.
    A column's name is short; a first line of a headline's length is the headline (jieba tags
    a verb like 亮相 as a noun), the line under it its subtitle."""
    if len(lines) != 2 or _MARK.match(lines[0]) or _letters(lines[0]) > COLUMN_NAME_MAX:
        return False
    first, second = ([p.flag for p in posseg.lcut(t.rstrip(_CLOSERS)) if p.word.strip()] for t in lines)
    noun_phrase = bool(first) and first[-1].startswith("n") and all(f.startswith(_NOUN_PHRASE) for f in first)
    return noun_phrase and bool(second) and not second[-1].startswith("n")


def _labelled_credit(text: str) -> bool:
    """A credit line that labels what it is: "作者:张三", "张三/文 李四/图", a site's "作者:" field."""
    return bool(_AUTHOR.match(text) or _slash_credit(text) or _work_first_credit(text) or _site_author(text))


def _says_byline(text: str) -> bool:
    """A byline line that says it is one: a role word ("本报记者 张三") or a labelled credit."""
    return bool(_ROLE_START.match(_MARK.sub("", _simplified(text)))) or _labelled_credit(text)


# What a byline says each name did, not a name: "张三 报道" (or 摄影, 摄影 and 报道 in one word, 撰稿,
# 整理), "李四/文 王五/图", "张三 文/图", and 报道 run on after the last name ("张三摄影报道").
_CREDIT_WORDS_IN_BYLINE = re.compile(
    r"(?:^|(?<=\s))[文图]\s*[/／]\s*[文图摄](?=\s|$)"  # "张三 文/图": what the one name did, set apart
    r"|\s*[/／]\s*[文图摄](?=[\s/／]|$)|(?:^|(?<=\s))(?:(?:摄影)?报道|摄影|撰稿|整理|摄)(?=\s|$)"
    r"|(?<=[\u4e00-\u9fff]{2})(?<!综合)(?:摄影)?报道$"  # (综合报道: compiled, by no one named)
)


def _person(text: str) -> str:
    """The name(s) a byline or signature line gives: "——网友@张三" → "张三", "□李四" → "李四",
    "作者:记者 王五 报道 签发日期:…" → "王五"."""
    if paired := _paired_credit(text) or _bracketed_fields(text):
        return "、".join(paired)
    author = _AUTHOR.match(text)
    text = author.group("names") if author else (_site_author(text) or text)
    if _work_first_credit(text):
        # (a work word where a word starts: the 文 ending "王小文" is his name)
        rest = _ROLE_WORDS.sub(" ", re.sub(rf"(?:^|(?<=[\s/／:：])){_WORK}", " ", _MARK.sub("", text)))
        return "、".join(dict.fromkeys(re.split(r"[\s、]+", rest.strip())))
    if _slash_credit(text):
        # (read in Simplified script, cut from the line as printed: the two are as long)
        simple = _simplified(text)
        start = re.match(rf"^[{_MARKS}A-Za-z]?\s*(?:[\u4e00-\u9fff]{{0,6}}(?:记者|通讯员|实习生))?", simple)
        cuts = [start.span() if start else (0, 0), *(m.span() for m in re.finditer(rf"\s*[/／]\s*{_SLASH_WORK}", simple))]
        names = "".join(" " if any(a <= i < b for a, b in cuts) else c for i, c in enumerate(text))
        return "、".join(dict.fromkeys(re.split(r"[\s、]+", names.strip())))
    text = _MARK.sub("", _EXCERPTED.sub("", text).lstrip("—─ ")).strip().strip("()（）[]【】·• ")
    if "@" in text:
        text = text.rsplit("@", 1)[1].split()[0] if text.rsplit("@", 1)[1].split() else text
    names = _CREDIT_WORDS_IN_BYLINE.sub(" ", _blanked(_ROLE_WORDS, text)).strip()
    if len(spaced := _spaced_names(names)) >= 2:
        return "、".join(spaced)  # "张三 王 平": a two-character name set with a space is one name (李 舒)
    return re.sub(r"\s+(?=\S{2})", "、", names) if names and " " in text else (names or text)


def _blanked(pattern: re.Pattern[str], text: str) -> str:
    """The text with what the pattern finds in its Simplified reading set to a space (a role word in
    Traditional script too: "評論員"), the rest as it is."""
    simple, kept, last = _simplified(text), [], 0
    for m in pattern.finditer(simple):
        kept += [text[last : m.start()], " "]
        last = m.end()
    return "".join([*kept, text[last:]])


def _parallel_halves(lines: list[str]) -> bool:
    """Two lines of one length set tight ("清除路面标线" / "营造整洁环境"): one headline in two parallel
    halves, joined with a space.  Shorter lines are a label over a title."""
    return len(lines) == 2 and LABEL_MAX - 1 <= len(lines[0]) == len(lines[1]) <= 10 and not _MARK.match(lines[0])


_COLUMN_FIELD = re.compile(r"^(?:栏目|专栏)\s*[:：]\s*(?=\S)")


def _exclaims(text: str) -> bool:
    """A line that ends in "!" or "?" ("太吵!", "谁丢的?"): a tag said aloud — a subtitle, never a box label."""
    return text.rstrip(_CLOSERS)[-1:] in "!?！？"


def _column(lines: list[str], *, tight: bool = False) -> tuple[str | None, bool]:
    """The column label atop heading lines, taken off them, and whether it is a guess (not made
    for two short lines set tight: those are one headline broken in two)."""
    if lines and (field := _COLUMN_FIELD.match(lines[0])) and len(lines) >= 2:
        return lines.pop(0)[field.end() :], False  # "栏目:某某": the column, its field's label dropped
    place = len(lines) == 2 and bool(_PLACE.match(lines[0]))  # a place over a headline: its kicker, no column
    if lines and _is_label(lines[0]) and (len(lines) >= 2 or _MARK.match(lines[0])) and not place:
        return _MARK.sub("", lines.pop(0)).rstrip(" |｜丨"), False  # (a bar after a label sets it apart)
    if _names_a_column(lines) and not place and not (tight and _broken_headline(lines)):
        return lines.pop(0), True  # a guess from parts of speech: say so
    return None, False


BROKEN_HEADLINE_MAX = 10  # characters of each of two tight heading lines that are one headline broken in two


def _broken_headline(lines: list[str]) -> bool:
    return len(lines) == 2 and all(len(x) <= BROKEN_HEADLINE_MAX for x in lines)


def _broken_over_subtitle(lines: list[str]) -> bool:
    """Three heading lines set tight, the first two short ("某某路路灯" / "一夜坏了十几盏" / a
    longer line or a tag said aloud): a headline broken in two over its subtitle, not a column label
    over a headline and subtitle (a label is marked, or set apart, or said with its field name)."""
    return (
        len(lines) == 3
        and _broken_headline(lines[:2])
        and not _MARK.match(lines[0])
        and not _COLUMN_FIELD.match(lines[0])
        and (len(lines[2]) > len(lines[1]) or _exclaims(lines[2]))
    )


def _rejoined(lines: list[str]) -> list[str]:
    """The lines of a head set tight, a headline set in two parallel halves or broken in two over
    its subtitle joined back into one."""
    if _parallel_halves(lines):
        return [" ".join(lines)]
    if _broken_over_subtitle(lines):
        return [lines[0] + lines[1], lines[2]]
    return lines


def _heading_roles(lines: list[str], *, tight: bool = False) -> dict[str, str | None]:
    """Split a run of heading lines into section label, kicker, headline, subtitle and byline.

    `tight`: the run's lines were set without blank lines between them, so two short lines are
    one headline broken in two (or in two parallel halves) rather than a headline and its subtitle.
    """
    lines = list(lines)
    roles: dict[str, str | None] = {"section": None, "kicker": None, "headline": None, "subtitle": None, "unsure": None}
    if len(lines) >= 2 and _MARK.match(lines[-1]) and len(_MARK.sub("", lines[-1])) <= 4:
        roles["byline"] = _person(lines.pop())  # "□李四" under a headline
    elif len(lines) >= 2 and (placed := _PLACED_NAME.match(lines[-1])) and _a_persons_name(placed.group(1)):
        roles["byline"] = lines.pop()  # "张三 (某某县)": a reader's letter, signed with where they write from
    lines = _rejoined(lines) if tight else lines
    roles["section"], guessed = _column(lines, tight=tight)
    roles["unsure"] = roles["section"] if guessed else None
    tag = len(lines) == 2 and len(lines[1]) <= NOTE_MAX and _exclaims(lines[1])  # "太吵!" under a headline: its subtitle
    if len(lines) == 2 and len(lines[1]) <= NOTE_MAX < len(lines[0]):
        if _a_persons_name(lines[1]):
            roles["byline"] = lines.pop()  # a name alone under a headline ("张三"): who wrote or shot it
        elif not lines[1].startswith("—") and not tag:
            roles["note"] = lines.pop()  # "编者按", "记者手记" under a headline: the head of its first paragraph
    if tight and _broken_headline(lines) and not tag:
        lines = [lines[0] + lines[1]]  # a headline broken over two lines
    if len(lines) >= 3:
        # 引题/主题/副题: the headline is the shortest line between the first and the last; what is
        # above it is the kicker (one or two lines), what is below it the subtitle (one or two).
        at = min(range(1, len(lines) - 1), key=lambda i: (_letters(lines[i]), -i))
        if len(lines) >= 4:  # of three lines the middle one is the headline; of more, a guess
            roles["unsure"] = roles["unsure"] or lines[at]
        roles["kicker"] = " ".join(lines[:at])
        lines = [lines[at], " ".join(lines[at + 1 :])]
    elif len(lines) == 2 and not lines[1].startswith("—") and _is_kicker(lines[0], lines[1], tight=tight):
        roles["kicker"] = lines.pop(0)
    roles["headline"] = lines[0] if lines else None
    roles["subtitle"] = lines[1] if len(lines) > 1 else None
    for role in ("section", "kicker"):
        framed = roles[role]
        if framed and _FRAMED.match(framed):
            roles[role] = framed.strip("—─ ")  # "—— 某某 ——": the dashes frame the words, they are not part of them
    return roles


def parse_text(text: str, *, name: str = "<text>") -> tuple[list[Article], list[str]]:
    """Articles and warnings from the body of an issue file (header already removed)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return parse_lines(lines, name=name)


def parse_lines(lines: list[str], *, name: str = "<text>", first_line: int = 1) -> tuple[list[Article], list[str]]:
    """Articles and warnings from an issue body's lines; `first_line` numbers them as in the file
    (after its header), so warnings point at the line an editor would open."""
    return _assemble(_refine(list(_blocks(lines, first_line))), name)


def _assemble(blocks: list[_Block], name: str) -> tuple[list[Article], list[str]]:
    assembler = _Assembler()
    for block, ahead in zip(blocks, _lookahead(blocks), strict=True):
        assembler.feed(block, ahead)
    return assembler.finish()


@dataclass(frozen=True)
class _Ahead:
    """What follows a block: for a heading, what comes after its run of heading lines (and how long
    the run is); for a caption or credit, the next block that is not a byline."""

    kind: _Kind | None = None
    run: int = 0
    signed: bool = False  # a byline line is in the run
    then: _Kind | None = None  # for a heading, what follows the block after its run
    following: _Kind | None = None  # for a signature, the next block that is not a byline, caption, credit or ignored
    opens: str = ""  # for a heading, the text of the block after its run

    @property
    def lead(self) -> bool:
        return self.kind == _Kind.LEAD

    @property
    def text(self) -> bool:
        return self.kind in (_Kind.BODY, _Kind.LEAD, _Kind.JOIN, _Kind.PARA)


_RUN_KINDS = (_Kind.HEADING, _Kind.BYLINE)


def _lookahead(blocks: list[_Block]) -> list[_Ahead]:
    """For each block, what follows it (see _Ahead); bylines and ignored lines are looked past."""
    ahead = [_Ahead()] * len(blocks)
    after: _Kind | None = None  # the first block after the one looked at that is not a heading run
    opens = ""  # … and its text
    run, signed = 0, False
    then: _Kind | None = None  # the block after `after`
    following: _Kind | None = None  # the next block that is not a byline, caption, credit or ignored
    for j in range(len(blocks) - 1, -1, -1):
        kind = blocks[j].kind
        if kind in _RUN_KINDS:
            run += kind == _Kind.HEADING
            signed |= kind == _Kind.BYLINE
            ahead[j] = _Ahead(after, run, signed, then, opens=opens)
        elif kind != _Kind.IGNORE:
            after, then, run, signed, opens = kind, after, 0, False, blocks[j].text
        if kind in (_Kind.CAPTION, _Kind.CREDIT):
            ahead[j] = _Ahead(following)
        if kind == _Kind.SIGNATURE:
            ahead[j] = _Ahead(following=following)
        if kind not in (_Kind.BYLINE, _Kind.IGNORE, _Kind.CAPTION, _Kind.CREDIT):
            following = kind
    return ahead


# A copy's opening dateline without a reporter's credit: an outlet's "某某网-某某报讯 :" (alone on
# its line, or before the text), or its name and the day ("某某晚报全媒体11月10日,").
_DATELINE_OPENING = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff\-—·]{1,15}?(?:讯|\d{1,2}月\d{1,2}日)\s*[:：,，]")
PART_HEAD_LINES = 3  # heading lines that head a part of a story (its label, its title, the line under it)

# A caption's opening after a sentence of text in the same block: "…。上图:…", "…。图为…".
_RUN_ON_CAPTION = re.compile(r"[。！？!?”」]\s*(?:[上下左右]图|图[一二三四五六]|图为|图片)\s*[:：]?")
TEXT_BEFORE_CAPTION = 2  # sentences of the article's text before it: one is a photo item's own line

_Roles = dict[str, "str | None"]  # section, kicker, headline, subtitle: what is known of an article's head


class _Assembler:
    """Blocks, in file order, → article drafts and warnings.

    `feed` decides which situation a block is in and hands it to one method for it; the state those
    methods share is the few fields below, so a new layout rule is a new method, not a new branch
    in a long loop.
    """

    def __init__(self) -> None:
        self.articles: list[_Draft] = []
        self.warnings: list[str] = []
        self.current: _Draft | None = None  # the article body text goes to
        self.open_para = False  # the last paragraph of `current` may still be joined
        self.pending: list[_Block] = []  # heading lines waiting for their article
        self.forced: _Roles = {}  # markup headline/subtitle waiting for their article
        self.head_byline: str | None = None  # a byline line under the pending heading lines
        self.head_photo_report = False  # … that credits a photo report ("本报记者 张三 摄影报道")
        self.crosshead: str | None = None  # a crosshead waiting for the paragraph it heads
        self.note_label: str | None = None  # an editor's note label waiting for its text
        self.web_page = False  # a site's source or date line under the first head: one story to the end
        self.datelined = False  # the copy opens with a dateline and no head: one story (its head lost) to the end
        self.untitled: _Draft | None = None  # the article text opened with no head before it (titled from its text)
        self.previous: _Kind | None = None  # the kind of the last block fed that was not ignored

    def feed(self, block: _Block, ahead: _Ahead) -> None:
        """Take one block; `ahead` says what follows it."""
        kind = block.kind
        if kind == _Kind.IGNORE:
            self._ignored(block)
            return
        previous, self.previous = self.previous, kind
        if kind == _Kind.NOTE or (self.note_label and kind in (_Kind.BODY, _Kind.PARA)):
            self._editors_note(block)
        elif kind in (_Kind.HEADLINE, _Kind.SUBTITLE):
            self._markup_title(block)
        elif kind == _Kind.JOIN:
            self._join_line(block)
        elif kind in (_Kind.BYLINE, _Kind.SIGNATURE, _Kind.CREDIT):
            if not self._credit(block, ahead):
                self.feed(block, ahead)  # its place made it a heading or text
        elif kind == _Kind.HEADING and not self.forced:
            self._heading_line(block, ahead)
        elif kind == _Kind.HEADING and self.forced.get("headline") and block.tight:
            self._under_markup_title(block)
        elif kind in (_Kind.CAPTION, _Kind.PHOTO):
            self._caption(block, ahead, after_text=previous in (_Kind.BODY, _Kind.LEAD, _Kind.JOIN, _Kind.PARA))
        elif kind == _Kind.BODY and self.open_para and not self.pending and not self.forced and not block.resumes:
            self._continue_paragraph(block)
        else:
            # lead, body, a forced paragraph ("> "), or a short line under a forced head: just text
            self._text(block, kind if kind in (_Kind.LEAD, _Kind.PARA) else _Kind.BODY)

    def _ignored(self, block: _Block) -> None:
        """Furniture or a source note: after an article's text it ends that article; a site's source
        or date line under the first head says the copy is a site's page, one story to the end."""
        if self.current is not None and not self.pending and block.text:
            self.current.closed = True
        elif not self.articles and self.pending and (block.source or _site_furniture(block.text)):
            self.web_page = True

    def _editors_note(self, block: _Block) -> None:
        """编者按 and its text.  Under a head (heading lines wait above it) it opens that article;
        standing alone (above a head, after other items) it is an item of its own, labelled so,
        whose paragraph is the note."""
        label, _, text = block.text.partition("\n") if block.kind == _Kind.NOTE else (self.note_label, "", block.text)
        if self.pending or self.forced:
            # Under a head the note opens that article (it introduces it): the label heads its first
            # paragraph, as a box label under a headline does; where the note ends, a text copy does not say.
            self.crosshead = label
            if text:
                self._text(_Block(text, _Kind.BODY, block.line), _Kind.BODY)
                assert self.current is not None
                self.current.preface += 1
            return
        if not text:
            self.note_label = label
            return
        self.note_label = None
        note = _Draft(headline=caption_title(text), section=label, paragraphs=[text], closed=True)
        self.articles.append(note)
        if not self.pending and not self.forced:
            self.current, self.open_para = note, not _finished(text)

    def _heading_line(self, block: _Block, ahead: _Ahead) -> None:
        if self.open_para and not ahead.lead and not block.promoted and not self.pending:
            # A short line after an unfinished paragraph: a page-break fragment, unless a lead
            # follows the heading lines, which only a new article has.
            self._continue_paragraph(block)
        elif block.inline and self.current is not None and not self.pending:
            self._crosshead(block)
        elif self._heads_a_part(block, ahead) or self._is_crosshead(block, ahead):
            self._crosshead(block)
            self.warnings.append(
                f'第{block.line}行: 「{block.text}」当作文中小标题；若是新稿件的标题，写成 "# {block.text}" '
                "(taken as a crosshead inside the article above)"
            )
        else:
            self._heading(block)

    def _crosshead(self, block: _Block) -> None:
        """A crosshead for the paragraph to come (two in a row, a part's label and its title, head it together)."""
        assert self.current is not None
        self.crosshead = f"{self.crosshead} {block.text}" if self.crosshead else block.text
        self.current.crossheads += 1

    def _is_crosshead(self, block: _Block, ahead: _Ahead) -> bool:
        """A single short line between paragraphs of an article that is still going on — no lead,
        byline, subtitle or photo credit follows it, and nothing (a signature, a source note, a (下转…)) ended
        the article above — is a crosshead (小标题), not the head of a new article.  Under a column
        label (简讯, 短评 …) such lines are the heads of the column's next items, until an item has
        run to three paragraphs (a column piece, not a brief).  An article without a byline or lead
        that has not run to three paragraphs (as an item of a run of short ones) takes only very
        short lines as crossheads; a ■-marked line is a crosshead only in a long one."""
        cur = self.current
        return (
            not self.pending
            and ahead.run == 1
            and not ahead.signed
            and ahead.kind == _Kind.BODY
            and ahead.then != _Kind.CREDIT
            and cur is not None
            and (not _MARK.match(block.text) or _long_form(cur))
            and _letters(block.text) <= (CROSSHEAD_MAX if _long_form(cur) or _NUMBERED.match(block.text) else BARE_CROSSHEAD_MAX)
            and cur.kind == "article"
            and (not cur.column or len(cur.paragraphs) >= 3)
            and bool(cur.paragraphs)
            and not (cur.closed or cur.continued)
            and not _trailing_names(cur.paragraphs[-1])
            and not _next_voice(cur, ahead)
        )

    def _heads_a_part(self, block: _Block, ahead: _Ahead) -> bool:
        """On a site's page (its source or date line under the one head: one story to the end), a
        short heading line, or two (a part's label and its title, a photo's caption with the photo not
        in the copy), between paragraphs heads a part of that story, not a new article.  So do up to
        three (a part's label, its title and the line under it) in a copy that opens with a dateline and
        no head: a story whose headline the copy lost, its parts headed, until a new dateline."""
        cur = self.current
        return (
            (self.web_page or self.datelined)
            and not self.pending
            and ahead.run <= (PART_HEAD_LINES if self.datelined else 2)
            and not ahead.signed
            and ahead.kind == _Kind.BODY
            and cur is not None
            and cur.kind == "article"
            and bool(cur.paragraphs)
            and not (cur.closed or cur.continued)
            and _letters(block.text) <= CROSSHEAD_MAX
        )

    def _credit(self, block: _Block, ahead: _Ahead) -> bool:
        """A byline, signature or credit-only line; False when its place makes it something else
        (a "——…" line in a head is a subtitle)."""
        under_head = bool(self.pending or self.forced)
        if block.kind == _Kind.SIGNATURE and (under_head or self.current is None or not self.current.paragraphs):
            block.kind = _Kind.HEADING if under_head and _titleish(block.text) else _Kind.BODY
            return False
        if block.kind == _Kind.CREDIT:
            self._credit_line(block, ahead)
        elif block.kind == _Kind.SIGNATURE and _QUOTE_CREDIT.match(block.text) and self.current is not None:
            self.current.paragraphs[-1] = f"{self.current.paragraphs[-1]} {block.text}"  # the quotation's source
        elif self.pending or self.forced or self.current is None:
            self._head_byline(block)
        elif _captions_only(self.current) or _preface_only(self.current):
            # under the photos or the editor's note at the top of an article: its byline, not a
            # signature that ends it
            self.current.byline = self.current.byline or _person(block.text)
        elif self._speaker(block, ahead):
            self.current.paragraphs[-1] = f"{self.current.paragraphs[-1]} {block.text}"
            self.current.speakers += 1
        else:
            self.current.sign(_person(block.text))
        return True

    def _speaker(self, block: _Block, ahead: _Ahead) -> bool:
        """A "——某单位 某某" line with more text of the article after it, or after the last paragraph
        of an article whose paragraphs have such lines: it names who said the paragraph above (a vox
        pop), not who wrote the article, so it stays with that paragraph."""
        cur = self.current
        return (
            block.kind == _Kind.SIGNATURE
            and cur is not None
            and cur.kind == "article"
            and bool(cur.paragraphs)
            and _ends_sentence(cur.paragraphs[-1])
            and (ahead.following in (_Kind.BODY, _Kind.PARA) or cur.speakers > 0)
        )

    def _head_byline(self, block: _Block) -> None:
        """A byline under heading lines; a name set like "王 平" might be a subtitle, so say so."""
        self.head_byline = block.text if block.markup else _person(block.text)
        self.head_photo_report = not block.markup and bool(_PHOTO_REPORT.search(block.text))
        if not block.markup and not _says_byline(block.text):
            self.warnings.append(
                f'第{block.line}行: 「{block.text}」当作署名；若是副题，写成 "## {block.text}" '
                "(taken as a byline: pen name or subtitle?)"
            )

    def _credit_line(self, block: _Block, ahead: _Ahead) -> None:
        """A credit alone on its line: under a head, the article's photo credit; under the lone
        caption paragraph of a head, it makes that item a photo (and text after it is the story's
        own article under the same head); under a paragraph after an article's text with a new head
        (or the end) next, that paragraph is a photo of its own; else it stays with the caption
        paragraph above it, a photo inside the article."""
        name = _person(_CREDIT_END.sub("", block.text).strip() or block.text)
        cur = self.current
        if self.pending or self.forced:
            self._flush_pending()
            assert self.current is not None
            self.current.byline = self.current.byline or name
        elif cur is not None and self._lone_caption(cur):
            cur.kind, cur.byline = "photo", cur.byline or name
            if ahead.text:  # a photo story: caption, credit, then its text
                head = {"headline": cur.headline, "subtitle": cur.subtitle, "kicker": cur.kicker, "section": cur.section}
                self._start(head).from_head = True
        elif cur is not None and cur.paragraphs and not ahead.text and _TEXT_AND_PHOTOS.search(block.text):
            # "记者 张三 文/图" after the text, before the next head: who wrote it (and shot its photos)
            cur.byline = cur.byline or name
        elif cur is not None and cur.paragraphs and not ahead.text and self._photo_item(cur):
            # a photo item's few short paragraphs, its credit after them: the credit signs the item
            cur.kind, cur.byline = "photo", cur.byline or name
        elif cur is not None and len(cur.paragraphs) > 1 and not ahead.text and len(cur.paragraphs[-1]) <= CAPTION_MAX:
            # a caption and its credit after an article's text, before the next head: a photo of its own
            caption = cur.paragraphs.pop()
            photo = self._start({"headline": caption_title(caption), "byline": name}, kind="photo")
            photo.paragraphs.append(caption)
        elif cur is not None and cur.paragraphs:
            cur.paragraphs[-1] = f"{cur.paragraphs[-1]} {block.text}"
            self.open_para = False
        elif cur is None and (_work_first_credit(block.text) or _TEXT_AND_PHOTOS.search(block.text)):
            # "文/图 记者 张三", "记者 张三 文/摄" atop a copy with no head: the writer of its text
            self.head_byline = name
        else:
            self._text(block, _Kind.BODY)

    @staticmethod
    def _photo_item(draft: _Draft) -> bool:
        """An item under its head of a few short paragraphs, all of them together no longer than a
        caption, with no lead or byline: a photo's caption set in paragraphs ("某处垃圾很刺眼" / three
        lines / "记者 张三 摄"), not an article with a photo after its text."""
        return (
            draft.from_head
            and draft.kind == "article"
            and len(draft.paragraphs) > 1
            and sum(len(p) for p in draft.paragraphs) <= CAPTION_MAX
            and draft.byline is None
            and not _lead(draft.paragraphs[0])
        )

    @staticmethod
    def _lone_caption(draft: _Draft) -> bool:
        """The one paragraph under a head, short and not a dateline lead: a photo's caption."""
        return (
            draft.from_head
            and draft.kind == "article"
            and len(draft.paragraphs) == 1
            and len(draft.paragraphs[0]) <= CAPTION_MAX
            and not _lead(draft.paragraphs[0])
        )

    def _start(self, roles: _Roles, kind: str = "article") -> _Draft:
        draft = _Draft(
            headline=roles.get("headline") or "",
            subtitle=roles.get("subtitle"),
            kicker=roles.get("kicker"),
            section=roles.get("section"),
            byline=roles.get("byline") or self.head_byline,
            kind=kind,
            photo_report=self.head_photo_report and not roles.get("byline"),
        )
        self.head_byline, self.head_photo_report = None, False
        self.articles.append(draft)
        self.current, self.open_para = draft, False
        return draft

    def _flush_pending(self) -> None:
        """Heading lines (or markup headlines) followed by text become an article head."""
        if self.forced:
            self._start(self.forced).from_head = True
            self.forced = {}
        if self.pending:
            resumed = next((b for b in self.pending if b.resumes), None)
            if resumed is not None and self._rejoin():
                self.pending = []  # a headline repeated over a continuation (标题（上接1版）)
                return
            tight = all(b.tight for b in self.pending[1:])
            roles = _heading_roles([b.text for b in self.pending], tight=tight)
            if roles.get("note"):
                self._note_under_head(roles["note"] or "", self.pending[-1].line)
            if roles.get("unsure"):
                self._unsure_head(roles, self.pending[0].line)
            last = self.current
            draft = self._start(roles)
            draft.from_head = True
            draft.resumed_from = resumed.resume_page if resumed is not None else None
            one_line = len(self.pending) == 1
            draft.column = bool(draft.section) or (one_line and last is not None and last.column)
            self.pending = []

    def _unsure_head(self, roles: dict[str, str | None], line: int) -> None:
        """Say which guess about a head's lines may be wrong, and the markup line that settles it."""
        if roles.get("section") == roles["unsure"]:
            self.warnings.append(
                f'第{line}行: 「{roles["section"]}」当作栏目名；若是标题，写成 "# {roles["section"]}"，'
                f'下一行写成 "## {roles["headline"]}" (a naming line over a headline: column label or headline?)'
            )
        else:
            self.warnings.append(
                f'第{line}行起: 多行标题中「{roles["headline"]}」当作主标题；若主标题是另一行，在那一行前加 "# " '
                "(which line of a stacked head is the headline?)"
            )

    def _note_under_head(self, note: str, line: int) -> None:
        self.crosshead = note
        self.warnings.append(
            f'第{line}行: 「{note}」当作首段的栏头；若是署名，写成 "@ {note}"，'
            f'若是副题，写成 "## {note}" (a short line under a headline: box label, byline or subtitle?)'
        )

    def _rejoin(self) -> bool:
        """Back to the first article of this file a (下转…) left open, if there is one."""
        target = next((a for a in self.articles if a.continued), None)
        if target is not None:
            target.continued = False
            self.current, self.open_para = target, False
        return target is not None

    def _markup_title(self, block: _Block) -> None:
        """`# ` / `## `: the head of the next article; a second `# ` starts one of its own.

        Plain heading lines right above a `# ` line are its kicker (or column label and kicker):
        an editor marks the one line the loader got wrong, and the stack around it stays a stack.
        """
        if self.pending and block.kind == _Kind.HEADLINE and not self.forced:
            lines = [b.text for b in self.pending]
            if len(lines) >= 2 and _is_label(lines[0]):
                self.forced["section"] = _MARK.sub("", lines.pop(0))
            self.forced["kicker"] = " ".join(lines)
            self.pending = []
        elif self.pending:
            self._flush_pending()
        if block.kind == _Kind.HEADLINE and self.forced.get("headline"):
            self._start(self.forced)
            self.forced = {}
        self.forced[block.kind.value] = block.text

    def _under_markup_title(self, block: _Block) -> None:
        """A plain heading line set tight under a `# ` headline (no blank line between): its
        subtitle, or the rest of it. After a blank line a short line is text, as before."""
        subtitle = self.forced.get("subtitle")
        self.forced["subtitle"] = f"{subtitle} {block.text}" if subtitle else block.text

    def _join_line(self, block: _Block) -> None:
        """`+ ` or a hard-wrapped line: the paragraph above goes on."""
        if self.current is not None and self.current.paragraphs:
            self.current.paragraphs[-1] = _join(self.current.paragraphs[-1], block.text)
            self.open_para = not _finished(self.current.paragraphs[-1])
        else:
            self._add_paragraph(block)

    def _heading(self, block: _Block) -> None:
        """A heading line waits for its run to end; more than a head has is text after all."""
        self.pending.append(block)
        if len(self.pending) > 4:
            self.warnings.append(f"第{self.pending[0].line}行: 连续多行短句，当作正文 (many short lines taken as text)")
            for stray in self.pending:
                self._add_paragraph(_Block(stray.text, _Kind.BODY, stray.line))
            self.pending = []

    def _caption(self, block: _Block, ahead: _Ahead, after_text: bool = False) -> None:
        """Captions under heading lines that text follows are the first paragraphs of that article
        (photos at the top of it); any other caption is an item of its own."""
        at_top = self.current is not None and _captions_only(self.current)
        if after_text and self._glued_to_text(block):
            self._text(block, _Kind.BODY)  # the article's last paragraph, its photo's caption run on
            self.open_para = False
        elif (self.pending or self.forced or at_top) and ahead.text and block.kind != _Kind.PHOTO:
            self._text(block, _Kind.BODY)
            assert self.current is not None
            self.current.captions += 1
            self.open_para = False
        else:
            self._photo(block)

    def _glued_to_text(self, block: _Block) -> bool:
        """A caption run on after sentences of the article's text, in one block with them, right
        under the article's other paragraphs ("…投入使用。上图:昨天,…。 记者 张三摄"): a paragraph
        of the article, not a photo item (a photo item's own text says one thing before its 图为)."""
        if self.pending or self.forced or self.current is None or self.current.closed or block.kind == _Kind.PHOTO:
            return False
        if len(self.current.paragraphs) <= self.current.captions:
            return False
        glued = _RUN_ON_CAPTION.search(block.text)
        return glued is not None and sum(block.text[: glued.start() + 1].count(c) for c in "。！？!?") >= TEXT_BEFORE_CAPTION

    def _photo(self, block: _Block) -> None:
        """A caption is an item of its own, titled by the heading lines above it (or its first
        clause); the article it interrupts goes on after it.  Photos in a row share a label.  Over a
        caption, more loose lines than a head has (blank lines between them all) are a photo page's
        headline and the one-line captions of its other photos: paragraphs, not a longer head."""
        lines = [b.text for b in self.pending]
        captions: list[str] = []
        if len(lines) >= PHOTO_PAGE_LINES and not any(b.tight for b in self.pending[1:]):
            lines, captions = lines[:1], lines[1:]
        roles: _Roles = _heading_roles(lines) if lines else {}
        title = " ".join(x for x in (roles.get("kicker"), roles.get("headline"), roles.get("subtitle")) if x)
        title = title or caption_title(block.text)
        self.pending = []
        if self.forced:
            title = self.forced.get("headline") or title
            self.forced = {}
        previous = self.current
        last = self.articles[-1] if self.articles else None
        section = roles.get("section") or (last.section if last is not None and last.kind == "photo" else None)
        byline = roles.get("byline") or _caption_credit(block.text)
        photo = self._start({"headline": title, "section": section, "byline": byline}, kind="photo")
        photo.paragraphs.extend([*captions, block.text])
        self.current = previous if previous is not None else photo
        self.open_para = False

    def _continue_paragraph(self, block: _Block) -> None:
        """Text after an unfinished paragraph finishes it (a page or column break split it) — but a
        short heading-like line standing as a paragraph of its own inside an article, set off by a
        blank line, is a crosshead over the text, joined with a space ("记者核实 日前,…")."""
        assert self.current is not None
        cur = self.current
        last = cur.paragraphs[-1]
        if not block.tight and len(cur.paragraphs) >= 2 and _letters(last) <= CROSSHEAD_MAX and _looks_like_heading(last):
            cur.paragraphs[-1] = f"{last} {block.text}"
            cur.crossheads += 1
        else:
            cur.paragraphs[-1] = _join(last, block.text)
        self.open_para = not _finished(self.current.paragraphs[-1]) and not block.continued
        self._mark_jump(block)

    def _text(self, block: _Block, kind: _Kind) -> None:
        """A lead or a paragraph: it resumes a continued article, starts the pending one, or goes on
        in the current one."""
        if block.resumes:
            self._resume(block)
        if self.pending or self.forced:
            self._flush_pending()
        elif kind == _Kind.LEAD and self.current is not None and self.current.paragraphs:
            # A second dateline under one headline: a combined report, kept in one article.
            self.warnings.append(f"第{block.line}行: 导语前没有标题，归入上一篇 (lead without headline joins the article above)")
        elif self.open_para and kind == _Kind.LEAD:
            self.warnings.append(f"第{block.line}行: 上一段没有结束就开始了新稿件 (unfinished paragraph)")
        self._add_paragraph(block)
        if kind == _Kind.LEAD and self.current is not None and self.current.byline is None:
            # also of a copy that opens with its lead, no headline; "本报讯" alone names no one and nowhere
            dateline = _byline(block.text)
            self.current.byline = None if _BARE_DATELINE.match(_simplified(dateline)) else dateline

    def _resume(self, block: _Block) -> None:
        """(上接…): back to the first article a (下转…) left open; if none in this file, the
        continuation of an article on another page starts here (bot.corpus finds its head)."""
        if not self.pending and not self.forced and self._rejoin():
            return
        if not any(a.continued for a in self.articles):
            if self.pending or self.forced:
                self._flush_pending()
            else:
                self._start({"headline": ""})
            assert self.current is not None
            self.current.resumed_from = block.resume_page

    def _add_paragraph(self, block: _Block) -> None:
        if self.current is None:
            self.warnings.append(f"第{block.line}行: 正文前没有标题，已用首句作标题 (text before any headline)")
            opening = _DATELINE_OPENING.match(block.text)
            alone = opening is not None and not block.text[opening.end() :].strip()  # titled at the end, from the text
            self.untitled = self._start({"headline": "" if alone else caption_title(block.text)})
            self.datelined = bool(_lead(block.text) or opening)
        elif self.current.kind == "photo" and not self.current.from_head:
            # Text after a photo continues the article the photo interrupted.
            self.current = next((a for a in reversed(self.articles) if a.kind != "photo"), None)
            if self.current is None:
                self._start({"headline": caption_title(block.text)})
        assert self.current is not None
        text = block.text
        if self.crosshead is not None:
            text, self.crosshead = f"{self.crosshead} {text}", None
        self.current.paragraphs.append(text)
        self.open_para = (
            not _finished(text) and not block.continued and not _ENUMERATED.match(text) and not _FACT_LINE.match(text)
        )
        self._mark_jump(block)

    def _mark_jump(self, block: _Block) -> None:
        assert self.current is not None
        if block.continued:
            self.current.continued = True
            self.current.continued_to = block.jump

    @staticmethod
    def _sign_trailing(draft: _Draft) -> None:
        """Names after the last sentence of a paragraph are the article's byline (or more of it),
        unless a dateline lead gave it one; a photo credit ("张三摄") is not a signature.  A
        dateline that credits nobody ("本报讯" alone, no bracket) gives way to the names signed
        at the end ("…。本报记者张三")."""
        if draft.kind != "article":
            return
        signed = [
            name
            for paragraph in draft.paragraphs
            if not re.search("摄(?!影报道)", paragraph[-_CREDIT_TAIL:])  # a caption's photo credit, not a photo story's
            for name in _trailing_names(paragraph)
            if not name.startswith("据")  # 据XX: a source
        ]
        if signed and draft.byline and _lead(draft.byline):
            if re.search(r"[(（【\[]", draft.byline):
                return  # the dateline's credit names the reporters
            draft.byline = None
        for name in signed:
            draft.byline = f"{draft.byline}、{name}" if draft.byline and name not in draft.byline else (draft.byline or name)

    def _names_at_end(self) -> bool:
        """A last line of two or more short names set apart with spaces ("张三 李四"), after a finished
        article that no one signed: who wrote or shot it, not a headline without text."""
        cur = self.current
        return (
            len(self.pending) == 1
            and not self.pending[0].tight
            and cur is not None
            and cur.kind == "article"
            and not cur.byline
            and bool(cur.paragraphs)
            and _finished(cur.paragraphs[-1])
            and bool(re.fullmatch(r"[\u4e00-\u9fff]{2,3}(?:[ \u3000]+[\u4e00-\u9fff]{2,3})+", self.pending[0].text))
        )

    def _titled_at_the_end(self) -> bool:
        """A copy that opens with its text and ends with one heading line, and holds that one
        article: a site that sets the title under the story, so the line is its headline."""
        return (
            bool(self.pending)
            and all(_DATE_ALONE.fullmatch(b.text) for b in self.pending[1:])  # its date under it ("- 2020-01-02")
            and self.untitled is not None
            and self.articles == [self.untitled]
            and _looks_like_heading(self.pending[0].text)
            and not _FIELD_OR_DATE.search(self.pending[0].text)  # "文献来源:2020-01-02 某报": a site's field
        )

    def finish(self) -> tuple[list[Article], list[str]]:
        """The end-of-file checks; then the articles that have text, and every warning."""
        if self._names_at_end():
            assert self.current is not None
            line = self.pending[0]
            self.current.byline = "、".join(line.text.split())
            self.pending = []
            self.warnings.append(
                f'第{line.line}行: 文末「{line.text}」当作署名；若是标题，写成 "# {line.text}" '
                "(names at the end taken as the byline)"
            )
        if self._titled_at_the_end():
            assert self.untitled is not None
            title, self.pending = self.pending[0], []
            self.untitled.headline = title.text
            self.warnings = [w for w in self.warnings if not w.endswith("(text before any headline)")]
            self.warnings.append(
                f"第{title.line}行: 文末的标题当作全文唯一一篇的标题 (the one article's headline set after its text)"
            )
        if self.pending:
            self.warnings.append(f"第{self.pending[0].line}行: 文末的标题没有正文，已忽略 (headline without text at the end)")
        self.articles = [item for draft in self.articles for item in _marked_items(draft)]
        for draft in self.articles:
            if draft.paragraphs:  # an editor's note's label after the last sentence, its note not in the copy
                draft.paragraphs[-1] = _LABEL_AFTER_TEXT.sub("", draft.paragraphs[-1])
            self._sign_trailing(draft)
            if draft.kind == "article" and not draft.paragraphs:
                self.warnings.append(f"「{draft.headline}」: 没有正文，已忽略 (headline without text)")
            if draft.photo_report and draft.kind == "article" and len(draft.paragraphs) == 1:
                draft.kind = "photo" if len(draft.paragraphs[0]) <= CAPTION_MAX else draft.kind  # its caption
            if not draft.headline:  # (after the dateline a copy with no head may open with)
                draft.headline = caption_title(_DATELINE_OPENING.sub("", draft.paragraphs[0])) if draft.paragraphs else ""
        for draft in self.articles:
            if draft.paragraphs and not _ends_sentence(draft.paragraphs[-1]) and draft.kind == "article":
                if draft.continued or _finished(draft.paragraphs[-1]):
                    continue
                self.warnings.append(f"「{draft.headline}」: 最后一段没有结束标点 (last paragraph looks unfinished)")
        return [d.freeze() for d in self.articles if d.paragraphs], self.warnings


# A short item's writer in brackets after its last sentence: "…。 (张三)", "…。(张三 李四)".
_ITEM_WRITERS = re.compile(rf"[。！？!?”」]\s*[(（]({_NAME}(?:[\s、]+{_NAME}){{0,3}})[)）]$")


def _next_voice(draft: _Draft, ahead: _Ahead) -> bool:
    """A readers' column (热线, 来信): every paragraph so far is one reader's word, opening with who
    said it ("张女士:…"), and the text under a short line opens so too: the line is the head of the
    column's next item, not a crosshead inside one long article."""
    return (
        draft.crossheads == 0
        and bool(_READER.match(ahead.opens))
        and all(_READER.match(paragraph) for paragraph in draft.paragraphs)
    )


# A reader named by surname and title, opening what they said: "张女士:", "李先生：".
_READER = re.compile(r"^[\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|老师|师傅|大爷|大妈|阿姨)[:：]")


def _marked_items(draft: _Draft) -> list[_Draft]:
    """A column of short items (简讯): two or more paragraphs under one head that each open with the
    same box mark ("△…", "◆…") are items of their own, not one article; the head, a label, is their
    column, and a name in brackets after an item's last sentence is its writer.  A paragraph that
    opens with a marked crosshead ("■小标题 …") is no item."""
    numbered = _numbered_briefs(draft)
    marks = {p[:1] for p in draft.paragraphs}
    if not numbered and (len(draft.paragraphs) < 2 or len(marks) != 1 or not marks <= set(_MARKS) or draft.kind != "article"):
        return [draft]
    if any(re.match(rf"^[{_MARKS}]\S{{1,{CROSSHEAD_MAX}}}\s", p) for p in draft.paragraphs):
        return [draft]
    label = draft.headline if draft.from_head and _is_label(draft.headline) else None
    items = []
    for paragraph in draft.paragraphs:
        text = _BRIEF_NUMBER.sub("", paragraph) if numbered else _MARK.sub("", paragraph)
        writers = _ITEM_WRITERS.search(text)
        byline = "、".join(re.split(r"[\s、]+", writers.group(1))) if writers else None
        items.append(_Draft(headline=caption_title(text), section=draft.section or label, byline=byline, paragraphs=[text]))
    return items


_BRIEF_NUMBER = re.compile(r"^(\d{1,2})[.．、]\s*")
BRIEFS_MIN = 3  # numbered paragraphs under a label from which they are briefs, not a list in an article


def _numbered_briefs(draft: _Draft) -> bool:
    """A column of numbered briefs: three or more paragraphs numbered 1, 2, 3 … and nothing else,
    under a column label, with no byline or lead — items of their own, like marked ones."""
    numbers = [m.group(1) if (m := _BRIEF_NUMBER.match(p)) else None for p in draft.paragraphs]
    return (
        draft.kind == "article"
        and draft.from_head
        and not draft.byline
        and len(numbers) >= BRIEFS_MIN
        and numbers == [str(n) for n in range(1, len(numbers) + 1)]
        and _is_label(draft.headline)
        and not _MARK.match(draft.headline)
    )


def _letters(text: str) -> int:
    """Characters of a line that are not punctuation or spaces, a Latin word counted as one, as a
    character is: "世博会遇“故知”" has 6, "经E-Aduan平台投诉" 6."""
    return sum(1 for c in _LATIN_WORD.sub("A", text) if c.isalnum())


_LATIN_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")


def _captions_only(draft: _Draft) -> bool:
    """An article under its head so far holds only the captions of its photos at the top."""
    return draft.from_head and 0 < len(draft.paragraphs) == draft.captions


def _preface_only(draft: _Draft) -> bool:
    """An article under its head so far holds only its photos' captions and an editor's note."""
    return draft.from_head and draft.preface > 0 and len(draft.paragraphs) == draft.captions + draft.preface


def _long_form(draft: _Draft) -> bool:
    """An article that carries a byline or lead, already has a crosshead, or has run to three
    paragraphs: one long enough for them (an item of a run of short ones has one or two)."""
    return bool(draft.byline or draft.crossheads) or len(draft.paragraphs) >= 3


_ROLE_START = re.compile(_ROLE)
_ROLE_WORDS = re.compile(rf"^\s*{_ROLE}\s*|\s+{_ROLE}\s*")


_PHOTO_REPORT = re.compile(r"摄影报道\s*$")
_BARE_DATELINE = re.compile(r"^[(（]?本报(?:讯|电)[)）]?$")  # (read in Simplified script, as leads are)


def _byline(lead: str) -> str:
    """The dateline of a lead up to its closing bracket: 本报讯(记者 张三); of several brackets,
    up to the reporter's credit: 某地消息(某报)(记者 张三)."""
    dateline = _lead(lead)
    assert dateline is not None  # only a line _lead matched is a lead
    head = lead[: dateline.end()]
    brackets = list(re.finditer(BRACKETED, head))
    credit = next((b for b in brackets if re.fullmatch(_CREDIT_BRACKET, b.group())), brackets[0] if brackets else None)
    return (head[: credit.end()] if credit else head).strip()
