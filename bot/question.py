"""What a question asks for, and its words weighted: the query BM25 ranks with and the content
words ("units") a paragraph must cover to answer it.

Both depend on the corpus as well as on the question: a word the corpus lacks is looked for by
its sound (an input-method typo), and a word in nearly every paragraph weighs little.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from .bm25 import BM25
from .dates import DateScope, date_scope, is_relative
from .synonyms import common_noun, everyday, synonyms
from .text import (
    Tokenizer,
    TokenKind,
    arabic_numerals,
    bigrams,
    chinese_numerals,
    is_cjk,
    is_function_word,
    make_token,
    normalize,
    pinyin_key,
)

TOKEN_WEIGHTS = {TokenKind.WORD: 1.0, TokenKind.QUANTITY: 1.5, TokenKind.BIGRAM: 0.6}
TYPO_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.5  # a thesaurus synonym of a question word, as a query term
SINGLE_CHAR_WEIGHT = 0.3
_THING = ("东西", "玩意", "玩意儿")  # what "啥东西" asks for: anything
PROPER_MAX_FREQ = 5000  # jieba dictionary frequency above which a "name" is an everyday word
DEBRIS_WEIGHT = 0.3  # what a two-character word no dictionary knows weighs, of its weight
DEBRIS_FREQ = 5  # …and jieba has seen at most this often
CORPUS_FLOOR = 0.3  # the least a content word weighs, however common in the corpus


@dataclass(frozen=True)
class AnswerType:
    name: str
    asks: re.Pattern[str]
    holds: re.Pattern[str]  # what a clause must contain to answer it…
    pos: tuple[str, ...] = ()  # …or a word of one of these jieba parts of speech (nr person, nt body, ns place)
    not_it: re.Pattern[str] | None = None  # what looks like it and is not (a date's digits for a count)


# Measures a count stands before (三代人, 兵分五路, 两节车厢, 年近七旬, 五六盏); not 批 (一批: no count), nor
# 块 (in "几块" money is asked).
_MEASURE = "个名项家座条次倍成%幅件位只台辆所场篇部张套株棵栋幢户亩吨米岁旬天年届期轮代路间节层趟遍艘枚颗处组盏份人"
# What is only ever paid in money: "多少奖金" asks for an amount. (Not 收入 or 投资: "收入涨了多少"
# is answered in per cent too.)
_PAID = "奖金|工资|月薪|年薪|薪水|租金|学费|罚款|罚了"
# What is an amount of money when its size is asked ("旅游收入有多少", "总投资多少"), though its
# growth is not ("收入涨了多少": a verb stands between, and per cent answers it).
_PRICE = "价格|票价|价钱|收费|费用"
_AMOUNT = "收入|营收|营业额|销售额|产值|投资|投入|资金|经费|花费|成本|利润|税收|补贴|补助|奖励|赔偿"
# Not 几十年 (vague), nor a lone 一 before its measure: "一个餐棚", "一家企业" is the article "a",
# no count ("十一个", "一百家" are).
_CN_DIGITS = "一二两三四五六七八九十百千万亿"
# A round count given roughly: "十来盏", "十几辆", "二十多人".
APPROXIMATE = r"(?:[余多]|(?<=[十百千])[来几])?"
_NUMERAL = (
    rf"(?:\d|(?<![几数{_CN_DIGITS}])(?!一[{_MEASURE}大])[{_CN_DIGITS}]{{1,12}}{APPROXIMATE}(?:[{_MEASURE}]|分钟|小时|周|秒)"
    r"|[\d一二三四五六七八九十百千]+分之[\d一二三四五六七八九十]+)"  # a share: "六分之一", "百分之三十"
)
# A day's number ("5号", "28号"), not an address's ("峨眉山路48号", "3号楼") nor a line's ("1号线").
_DAY_NUMBER = r"(?<![\d路街巷道弄楼栋座])(?:[12]?\d|3[01])\s*号(?![楼院门线库厅口])"
ANSWER_TYPES = (
    # A phone number asked for is answered by one, not by any figure of the article.
    AnswerType(
        "phone",
        re.compile(r"(?:电话|手机|号码|热线)(?:号码?)?(?:是|为)?(?:多少|几号|啥|什么)"),
        re.compile(r"\d{3,4}\s*[-－—]\s*\d{5,8}|(?<!\d)1\d{10}(?!\d)|(?:电话|热线|拨打|致电|号码)[^，。；]{0,8}?\d{3,}"),
    ),
    AnswerType(
        "money",
        re.compile(
            # A price named is asked for only with its amount ("票价是多少"): "票价涨了没", "价格是哪几个
            # 单位公布的", "价格监测啥时候公布" ask whether, who, when.
            rf"多少钱|(?:{_PRICE})(?:是|为|大概|大约|一共|总共|要|标准|能有)*(?:多少|几)(?![{_MEASURE}种])"
            r"|花了多少|多少元|几块钱|贵不贵|要钱"
            rf"|(?:{_PAID})(?:是|有|发了|能有|大概)?(?:多少|几)|多少(?:{_PAID})"
            rf"|(?:{_AMOUNT})(?:是|有|为|达到?|一共|总共|大概|大约|能有)*多少(?![{_MEASURE}])"
        ),
        # "30余万元", "6000多万元", "两千元" too.
        re.compile(r"(?:\d[\d.,]*|[零〇一二两三四五六七八九十百千]+)\s*[余多]?\s*[万亿千百]*\s*(?:元|美元|块)|免费|免票"),
    ),
    # Which bus, line or train ("坐几路公交", "停哪几路车", "地铁几号线", "坐哪趟车") is answered by its number
    # ("207路", "3号线", "G657次", "K8"), not by any figure of the article; "兵分几路" counts.
    AnswerType(
        "route",
        re.compile(
            r"(?:坐|乘|搭|换乘|停|停靠|经过)(?:的)?(?:哪|几)几?路|(?:哪|几)几?路(?:公交|车|汽车|巴士|大巴|公共汽车|线路)"
            r"|几号线|哪(?:一|条)号?线|哪(?:一)?趟(?:车|列车|火车|高铁|动车|航班)?"
        ),
        re.compile(
            r"(?<![\d.])\d{1,4}\s*路(?![口段况面边上])|(?<![A-Za-z])[A-Za-z]\d{1,4}(?:[/／]\d{1,4})?\s*[路次]?"
            r"|[\d一二三四五六七八九十]+\s*号线|\d{1,5}\s*次(?:列车|车|航班)|专线|快线|环线"
        ),
    ),
    # Until when ("展到哪天", "施工什么时候结束") is answered by an end ("展至9月13日", "截至9月底",
    # "为期三天"), not by the day it began.
    AnswerType(
        "until",
        re.compile(
            r"到(?:什么时候|啥时候|哪天|哪一天|几号|几月|何时|几时)(?!才)|(?:什么时候|啥时候|何时|几时|哪天|哪一天|几号)(?:结束|截止|为止|完工|停止|闭幕|到期)"
            r"|持续到|截[止至](?:到|日期|时间)?(?:是)?(?:什么时候|啥时候|哪天|哪一天|几号)|截止日期"
        ),
        re.compile(
            r"(?:至|到|止|截至|截止|直至|直到)[^，。；]{0,6}?(?:\d{1,2}\s*[月日号时点]|[一二三四五六七八九十]+月|[月年]底|月末|年末|[春冬夏秋]季|春节|国庆|元旦)"
            r"|\d{1,2}\s*[日号时点][^，。；]{0,3}(?:结束|为止|截止|止|闭幕|前)|[月年]底前|为期|期限"
            r"|(?:\d{1,2}\s*月|年)(?:底|末|中旬|下旬)(?:前)?(?:完工|建成|竣工|结束|完成|投用|通车)"
        ),
    ),
    # How long (or how often) is answered by a stretch of time ("近5个小时", "两个多月", "多年",
    # "每天"), not by a date: "11月14日" tells when, not how long.
    AnswerType(
        "duration",
        re.compile(r"多久|多长时间|多少时间|多长的时间|多长一段时间"),
        re.compile(
            r"(?:(?<![\d.])\d{1,3}(?:\.\d+)?|(?<![〇零一二两三四五六七八九十百几数半])[一二两三四五六七八九十百几数半]+)"
            r"[多余来]?(?:个[多半]?月|个?[多半]?(?:小时|钟头|分钟|秒钟?|天|周|星期|年(?![级龄代初底末中])))"
            r"|半月|多年|一段时间|整天|长期|许久|每[天日周月年]|每隔"  # 多久…一次: how often
        ),
    ),
    # A year asked for is answered by a year (also an era's: 嘉靖九年), not by "日前" or "11月1日".
    AnswerType(
        "year",
        re.compile(r"哪一?年(?![级龄代])|何年|哪个年份|什么年份|[公西]元几年|几几年|哪(?:个|一)?朝代?(?![阳向])|什么朝代"),
        re.compile(
            r"\d{2,4}\s*年(?![代级龄])|[〇零一二三四五六七八九十]{1,5}年|[今去明前后同当次翌是该]年|[这那]一年|年底|年初|年内|年中|年末"
            r"|世纪|年代|公元|末年|初年|年间|时期|[唐宋元明清汉晋隋]末|[夏商周秦汉晋隋唐宋辽金元明清][朝代]"
        ),
    ),
    # Which day ("几号", "哪天", "7月几号") is answered by a day, not by a month or a year alone:
    # "7月" does not say which day of it. (Not "这几日", these days; nor "几号线", a line's number.)
    AnswerType(
        "day",
        # (Nor "咸熙街几号": a house number.)
        re.compile(
            r"(?<![这那近前后头最过街路巷道弄])几[日号](?![线楼门院车馆口床位])|哪一?天|月(?:份)?(?:的)?(?:几|哪)[日号天]"
        ),
        re.compile(
            r"\d{1,2}\s*日|"
            + _DAY_NUMBER
            + r"|[一二三四五六七八九十廿卅]{1,3}[日号]|[昨今明前后]天|[昨今明]日|当[天日]|次日|翌日|同日|当晚"
            r"|[正腊冬一二三四五六七八九十]月[初廿]?[一二三四五六七八九十]{1,3}(?!月)"
            r"|周[一二三四五六日天末]|星期[一二三四五六日天]|初[一二三四五六七八九十]|除夕|元旦|元宵|清明|端午|中秋|国庆|重阳|春节|七夕|冬至|小年"
        ),
    ),
    # What time of day ("几点到的", "几点开门") is answered by a clock time, not by the day nor by
    # "下午": "3月12日下午" does not say when the train came in. (Not 几点几, a decimal.)
    AnswerType(
        "clock",
        re.compile(r"几点(?!几)|几时几分|什么时间点|哪个时间点|几点钟"),
        re.compile(
            r"\d{1,2}\s*[时点](?:\s*\d{1,2}\s*分?|半|整)?|\d{1,2}\s*[:：]\s*\d{2}|[零一二两三四五六七八九十]{1,3}[时点](?:[一二三四五六七八九十]{1,3}分|半|整)?"
            r"|全天|24小时|正午|午夜"
        ),
    ),
    AnswerType(
        "date",
        re.compile(
            r"什么时候|啥时候|何时|几时(?!几分)|哪天|哪一天|几月|(?<![街路巷道弄])几号|哪年|哪一年|几点|日期|时间是|多会儿"
        ),
        re.compile(
            r"\d{1,4}\s*[年月日时点]|"
            # … or as long ago as it was: "两三个月前", "半年以前"
            r"[\d一二两三四五六七八九十几半]+[多余来]?个?(?:月|天|年|周|星期|小时)(?:[以之]?前|[以之]?后)|"
            + _DAY_NUMBER
            + r"|[昨今明前后]日|[昨今明去前]年|近日|日前|月底|月初|年底|上午|下午|\d+:\d+|世纪|年代|公元"
            # A time as a season or an era: "盛花期为夏季", "唐末", "孔雀王朝时期" (not 时代: it ends company names).
            r"|[春夏秋冬]季|时期|年间|末年|初年|之际|[唐宋元明清汉晋隋]末"
            # A day of the lunar calendar or a festival: "正月初六", "十一月", "除夕", "国庆期间".
            r"|正月|腊月|初[一二三四五六七八九十]|[一二三四五六七八九十]{1,2}月|除夕|元旦|元宵|清明|端午|中秋|国庆|重阳|春节"
            # A time of day, a holiday, "from today": "夜晚倒垃圾的车辆更多", "十一期间开园", "今起推出".
            r"|晚上|夜晚|夜间|凌晨|清晨|早上|傍晚|中午|白天|新春|五一|十一(?:期间|假期|长假|黄金周)|[今明即]日?起|今明两[天日]"
        ),
    ),
    # A person's name ("那个门卫叫什么", "校长叫啥") is answered by a name, not by the title the
    # question already says nor by an institution.
    AnswerType(
        "name",
        re.compile(
            r"(?:长|书记|支书|主任|主席|老人|大爷|大妈|员|者|民|师|生|卫|工|教授|先生|女士|老板|司机|网友|人)"
            r"(?:的名字是什么|的名字叫什么|(?:叫|名叫)(?:什么|啥)(?:名字|名)?)[呢啊呀]?\W*$"
        ),
        re.compile(r"(?:名叫|叫做|名为|姓)[\u4e00-\u9fff]"),
        pos=("nr", "nrt", "nrfg"),
    ),
    # Which body ("哪个部门主办", "哪家公司承建") is answered by an institution's name, not by a
    # person: "记者询问主办单位" does not say who organised it.
    AnswerType(
        "person",
        re.compile(r"哪(?:个|家|所|些|几个|几家)?(?:单位|公司|部门|企业|机构|团队|组织|院校|高校)"),
        re.compile(
            r"[\u4e00-\u9fff]{2,}?(?:大学|学院|研究院|研究所|公司|集团|协会|学会|委员会|管委会|政府|中心|(?<![格布结开大全当时])局|厅|委"
            r"|办公室|办事处|(?<![主举承协创开兴合停督查包代筹])办(?![理法事公好])|管理处|法院|检察院|派出所|医院|学校|银行"
            r"|(?:宣传|组织|统战|武装|商务|外交|财政|教育|公安|民政|交通|卫生)部)(?![长员])"
        ),
        pos=("nt",),
    ),
    # "Who" is answered by a named person, a titled office holder or an institution.
    AnswerType(
        "person",
        re.compile(
            r"是谁|谁是|谁[^\s]{0,6}$|哪位|什么人|哪个人|叫什么名字|姓什么|^谁"
            r"|哪(?:些|几位|位)?(?:[市县区省]|中央)?领导"
        ),
        re.compile(
            r"(?:市长|书记|主任|总裁|会长|局长|县长|区长|省长|部长|主席|院长|校长|经理|董事长|记者)"
            r"|[\u4e00-\u9fff]{2,}(?:大学|研究院|研究所|公司|集团|协会|委员会|政府|中心|局|厅|部|院)"
        ),
        pos=("nr", "nrt", "nrfg", "nt"),  # an institution by its name alone ("与某某时代合作"): jieba's nt
    ),
    AnswerType(
        "place",
        # Also which ones of them ("哪几个村", "哪些县"): their names are places.
        re.compile(
            r"哪里|哪儿|在哪(?![一种些位年天])|什么地方|何地|何处|哪(?:个|些|几个)地方|位于|地点"
            r"|哪(?:几个|些|个)(?:村|县|区|市|省|镇|乡|城市|国家|地区)(?!领导|长|委|民|政府|容)"
        ),
        re.compile(
            # Not 全市, 我省, 本县 (no place named), nor 市长, 县委, 市场 (not a place at all).
            r"[\u4e00-\u9fff]{1,8}(?:(?<![全我本该各副外])(?:省(?![长委级])|市(?![长委民场级政])|县(?![长委级])|区(?![长委域别])|乡|镇|村)"
            r"|街|路|馆|寺|园|基地|中心|广场|景区|遗址|宾馆|酒店|大厦|学校|大学|公司|集团|港|厂|站)"
        ),
        pos=("ns",),
    ),
    # A place in an order ("排第几", "第几次来") is answered by one ("第三", "首次", "前十"); a count
    # is not, nor is an ordinal in a name ("第一人民医院") a count.
    AnswerType(
        "ordinal",
        re.compile(r"第几|排名|名次|排第|位列|位居"),
        re.compile(r"第[一二三四五六七八九十百\d]|首[次个批家座位届]?|前[一二三四五六七八九十\d]|榜首|冠军|亚军|季军"),
    ),
    AnswerType(
        "number",
        re.compile(
            # Not 几乎 (almost), 几何 (geometry), 几率; not 哪几 (which ones), which asks for names.
            r"多少|(?<![哪这那近来])几(?![乎何率时])[个名项家座条次倍年天人万亿千百十]?|多大(?!学)|多高|多长|多远|多重|多深|多宽|多厚|多快|多粗|比例|占比|百分之|增长了|增速"
        ),
        re.compile(_NUMERAL + r"|(?<![一二两三四五六七八九十])(?!一[大项个家])[一二两三四五六七八九十]+[大项个家]"),
        # "上午8时", "11月8日", "2024年" tell when, and "第三届" which one, not how many.
        not_it=re.compile(
            r"第\s*[\d一二两三四五六七八九十百千]+|\d{4}\s*年|\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号])?|\d{1,2}\s*[日号]|\d{1,2}\s*[时点](?:\s*\d{1,2}\s*分)?|\d{1,2}:\d{2}"
        ),
    ),
)


# "多少座", "几个月", "多少万人次": a count asked in a unit, answered only by a number in that unit.
# "个" is left out: it counts anything, so it tells nothing — but "几个人", "几个小时" count people, hours.
COUNTED_UNIT = re.compile(
    r"(?:多少|(?<![哪第这那近来])几)(?:[万亿千百十]+)?(?:个(?=人|小时))?(人次|平方米|平方公里|公里|千瓦时|千瓦|小时|分钟|个月|公顷|毫米|厘米|千米|公斤|千克|立方米"
    r"|[位名人座家项条次份分元台辆吨亩户所间场届天岁倍米只头件篇部张册枚株棵套栋幢艘层期批轮年字盆斤页颗粒箱袋瓶桶处趟盏])"
    r"(?![以之]?前)"  # "几年前进驻的": a time ago, which a date answers, not a count
)


# An age asked in words ("多大岁数", "多大年纪", "年龄多大"): counted in 岁, as the paper prints it ("72岁").
_ASKS_AGE = re.compile(r"多大(?:的)?(?:岁数|年纪|年龄)|(?:岁数|年纪|年龄)(?:有)?多大")


def counted_unit(question: str) -> str | None:
    """The unit a question counts in ("几座" → 座, "多大岁数" → 岁), if it names one."""
    m = COUNTED_UNIT.search(question)
    return m.group(1) if m else ("岁" if _ASKS_AGE.search(question) else None)


# Why (or how) something happened is answered by a reason, no kind a pattern can check: "为啥说过几天
# 菜还要涨" does not ask how many days, "为什么人气不旺" not who.
_WHY = re.compile(r"为什么|为啥|为何|什么原因|啥原因|怎么回事|咋回事")


# A place asked for at a level ("哪个县", "哪条路", "哪家酒店", "哪个小区") is answered by a name of
# that level (定边县, 解放路, 某某大酒店), not by any place: "米巢公司在昆明哪个区" is not answered by
# 上海. Each level with the suffixes its names end in.
_LEVELS = {
    "省": "省|自治区",
    "市": "市|州|盟",
    "县": "县|旗|市",
    "区": "(?<![社小景园城市校辖片山灾库矿展营])区",  # not 社区, 景区, 市区…: no district
    "镇": "镇|乡|街道",
    "乡": "乡|镇",
    "街道": "街道|镇|乡",
    "村": "村|屯|庄|社区",
    "街": "街|路|巷|道",
    "路": "路|街|巷|大道",
    "路口": "路口|路|街|交叉口",
    "小区": "小区|花园|家园|苑|名居|名苑|公寓|社区|新村",
    "学校": r"学校|中学|小学|大学|学院|幼儿园|[一二三四五六七八九十\d]中|[一二三四五六七八九十\d]小",
    "大学": "大学|学院",
    "酒店": "酒店|宾馆|饭店|大厦|山庄|度假村",
    "宾馆": "酒店|宾馆|饭店|大厦|山庄|度假村",
    "饭店": "酒店|宾馆|饭店|餐厅|餐馆|酒楼|食府",
    "医院": "医院|卫生院|诊所",
    "公园": "公园|园|广场",
    "市场": "市场|超市|商场|集市",
    "场馆": "馆|体育场|球场|中心|礼堂|会堂|剧院|广场",
    "广场": "广场",
    "商场": "商场|广场|商厦|百货|购物中心|超市",
    "超市": "超市|商场",
    "车站": "车站|客运站|枢纽",
    "桥": "桥",
    "码头": "码头|港",
}
_LEVEL_NAMES = "|".join(sorted(_LEVELS, key=len, reverse=True))
# (Not 哪个村民, 哪个区委: who; nor 哪些市容.)
_LEVEL_ASKED = re.compile(rf"哪(?:个|一个|座|条|家|所|间|几个|几家|几条|些)({_LEVEL_NAMES})(?![民委长级域容政])")


@cache
def _place_at(levels: tuple[str, ...]) -> AnswerType:
    """The place kind held only by a name ending in one of these levels' suffixes."""
    suffixes = "|".join(dict.fromkeys(x for level in levels for x in _LEVELS[level].split("|")))
    # (Not the 街 of 泉园街道, the 村 of 村委, the 市 of 市场: another word goes on.)
    held = re.compile(rf"[\u4e00-\u9fff\dA-Za-z]{{1,8}}?(?:{suffixes})(?![道委民长域场级])")
    unnamed = re.compile(rf"(?:[该本此这那每各全我其]|这个|那个)(?:{suffixes})")  # "该小区" names none
    return AnswerType("place", _LEVEL_ASKED, held, not_it=unnamed)


def answer_type(question: str) -> AnswerType | None:
    """The kind of thing a question asks for, the most specific first (money before number)."""
    if _WHY.search(question):
        return None
    for kind in ANSWER_TYPES:
        if kind.name == "place" and (levels := _LEVEL_ASKED.findall(question)):
            return _place_at(tuple(levels))
        if kind.asks.search(question):
            return kind
    return None


@dataclass(frozen=True)
class Unit:
    """A content word of the question, with how much it says about the topic."""

    text: str
    weight: float
    specific: bool  # a name, place or rare word: if the passage lacks it, it is about something else
    alternatives: tuple[str, ...] = ()  # corpus words that sound the same (input-method typos)
    idf: float = 1.0  # its IDF as a word of this corpus; 1 for a word the corpus lacks
    synonyms: tuple[str, ...] = ()  # corpus words of its thesaurus synonym group (老百姓 → 市民)
    pairs: tuple[str, ...] = field(init=False)  # its bigrams, for partial matches of longer words
    abbreviation: re.Pattern[str] | None = field(init=False)  # 教资 ← 教师资格

    def __post_init__(self) -> None:
        object.__setattr__(self, "pairs", tuple(bigrams(self.text)) if len(self.text) >= 3 else ())
        short_cjk = 2 <= len(self.text) <= 4 and all(is_cjk(ch) for ch in self.text)
        pattern = re.compile(".{0,3}".join(map(re.escape, self.text))) if short_cjk else None
        object.__setattr__(self, "abbreviation", pattern)

    @property
    def rarity(self) -> float:
        """How telling the word is here: rare in this corpus and specific in general."""
        return self.idf * self.weight


@dataclass(frozen=True)
class Question:
    """A question read against one corpus: what ranking and the decision need of it."""

    text: str  # as asked
    normalized: str  # normalised, without the words of a date that picks issues ("11月2日的报纸")
    query: dict[str, float]  # index token -> weight, for BM25
    units: tuple[Unit, ...]  # content words, for coverage
    asks: AnswerType | None  # the kind of thing asked for, if any
    scope: DateScope | None  # the issues it is about, if it names a date
    unit: str | None = None  # the unit a count is asked in ("几座" → 座), if any


# A yes-or-no question said as "X不X" / "X没X" (管不管, 去没去): what it asks about is X.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")

# Characters that only glue a word to the sentence: "何原因" is 何 + 原因, "由来是" 由来 + 是.
_GLUE_BEFORE = "何是有在和与及的"
_GLUE_AFTER = "是有才的了在和与及也都就"


# "那本书", "这家店", "那阵清(雪车)": a demonstrative and its measure word, which jieba's HMM glues
# to what follows and tags as a person's name.
_POINTED = "个本家位条座阵回次天年场所栋件项批种样部张间段辆篇只片处"  # what 这/那 stand before
_DEMONSTRATIVE = re.compile(f"^[这那](?:一)?[{_POINTED}]")


def unglued(word: str, freq: Mapping[str, int]) -> str:
    """A word jieba's segmenter made up by gluing a function character (or a demonstrative and
    its measure word) to a dictionary word (its HMM does, on unknown text), given back as the
    word; any other word as is."""
    if freq.get(word, 0) > DEBRIS_FREQ or not all(is_cjk(ch) for ch in word):
        return word
    if len(word) >= 2 and word[-1] in "这那":  # "广场东那站", "垃圾山那张图": glued to the word before
        return word[:-1]
    if len(word) < 3:
        return word
    if m := _DEMONSTRATIVE.match(word):
        return word[m.end() :]
    if word[-1] in _GLUE_AFTER and freq.get(word[:-1], 0):
        return word[:-1]
    if word[0] in _GLUE_BEFORE and freq.get(word[1:], 0):
        return word[1:]
    return word


@dataclass(frozen=True)
class Reader:
    """Reads questions against one corpus: its tokenizer, its terms' IDF and its words by sound."""

    tokenizer: Tokenizer
    bm25: BM25
    pinyin: dict[str, str]  # toneless pinyin -> CJK terms of the vocabulary, space-separated

    def read(self, text: str, newest: dt.date | None) -> Question:
        """The question's weighted query, content words, asked-for kind and date scope; relative
        dates count from `newest` (None: an empty corpus, no dates)."""
        normalized = normalize(text)
        scope = date_scope(normalized, newest) if newest is not None else None
        if scope is not None and is_relative(scope.said) and not self.starts_a_word(normalized, scope.said):
            scope = None  # "昆明年轻人" holds 明年, "光明日报" 明日: names, not times
        if scope is not None and scope.strict:  # "11月2日的报纸": picks issues, not words to find
            normalized = normalized.replace(scope.said, " ", 1)
        asks, unit = answer_type(normalized), counted_unit(normalized)
        terms = self.tokenizer.query(_A_NOT_A.sub(r"\1", normalized))  # "还管不管": is 管 still done
        query = self.weights(terms.tokens)
        units = self.units(terms.normalized)
        return Question(text, terms.normalized, query, tuple(units), asks, scope, unit)

    def starts_a_word(self, normalized: str, said: str) -> bool:
        """Whether words of the question begin a word, not the middle of one (明年 in 昆明/年轻人,
        明日 in 光明日报): the segmenter cuts before them. (It may join them to what follows:
        本周末, 今年春节.)"""
        cuts = {0, *itertools.accumulate(len(piece) for piece in self.tokenizer.cut(normalized))}
        return normalized.find(said) in cuts

    def weights(self, tokens: tuple[str, ...]) -> dict[str, float]:
        """Each query token's weight by its kind; a word the corpus lacks also brings the corpus
        words that sound like it (input-method typos), weighing less."""
        query: dict[str, float] = {}
        for token in tokens:
            kind, _, body = token.partition(":")
            # One character says little ("人", "去"): bigrams and words carry the topic.
            query[token] = TOKEN_WEIGHTS[kind] * (SINGLE_CHAR_WEIGHT if len(body) == 1 else 1.0)
            if kind in (TokenKind.WORD, TokenKind.BIGRAM) and token not in self.bm25.vocab and all(is_cjk(ch) for ch in body):
                for alt in self.sounds_like(body):
                    query.setdefault(make_token(kind, alt), TOKEN_WEIGHTS[kind] * TYPO_WEIGHT)
            if kind == TokenKind.WORD:
                for same in self.synonyms(body):
                    query.setdefault(make_token(kind, same), TOKEN_WEIGHTS[kind] * SYNONYM_WEIGHT)
        return query

    def idf_share(self, word: str) -> float:
        """The word's IDF in this corpus relative to the rarest term's; 1 for words it lacks."""
        t = self.bm25.vocab.get(make_token(TokenKind.WORD, word))
        if t is None or not len(self.bm25.idf):
            return 1.0
        return float(self.bm25.idf[t] / self.bm25.max_idf)

    def word_idf(self, word: str) -> float:
        """The word's IDF in this corpus; 1 for words it lacks."""
        t = self.bm25.vocab.get(make_token(TokenKind.WORD, word))
        return float(self.bm25.idf[t]) if t is not None else 1.0

    def synonyms(self, word: str) -> tuple[str, ...]:
        """The word's idioms and thesaurus synonyms that are words of this corpus."""
        return synonyms(word, lambda w: make_token(TokenKind.WORD, w) in self.bm25.vocab)

    def sounds_like(self, chars: str) -> list[str]:
        return self.pinyin.get(pinyin_key(chars), "").split()

    def units(self, normalized: str) -> list[Unit]:
        """The question's content words, weighted by how specific they are in general Chinese."""
        freq = self.tokenizer._jieba.FREQ
        total = self.tokenizer._jieba.total
        units: dict[str, Unit] = {}
        previous = ""
        for pair in self.tokenizer.pos.lcut(normalized):
            word, flag = pair.word, pair.flag
            # "哪一种演员", "哪两家": the numeral-classifier after 哪 only asks, like 哪个; so does
            # the "thing" of "啥东西", "什么东西", "哪两样东西" (jieba tags 东西 as a place).
            before = previous
            asking, previous = (
                (
                    (previous.endswith("哪") and len(word) == 2 and word[0] in "一两二三四五六七八九十")
                    or (word in _THING and previous[-1:] in ("啥", "么", "些", "样"))
                ),
                word,
            )
            # "那阵子" before it is taken apart; "那辆", "这篇" alone
            asking = asking or is_function_word(word) or bool(_DEMONSTRATIVE.fullmatch(word))
            word = unglued(word, freq)
            # "那/段时间": the measure word of a demonstrative cut apart from it (not 张: "那/张老师")
            if before in ("这", "那") and len(word) >= 3 and word[0] in _POINTED and word[0] != "张" and freq.get(word[1:]):
                word = word[1:]
            if asking or is_function_word(word) or not any(ch.isalnum() for ch in word) or word in units:
                continue
            general = freq.get(word, 0)
            rarity = math.log(total / (general + 1))
            weight = min(1.0, max(0.05, (rarity - 7.0) / 5.0))
            cjk = all(is_cjk(ch) for ch in word)
            known = make_token(TokenKind.WORD, word) in self.bm25.vocab or make_token(TokenKind.BIGRAM, word) in self.bm25.vocab
            # A name (jieba's POS, but not an everyday word it mistags — unless this corpus never
            # has it and it is no common noun: "哪个城市", "什么东西"), a longer word jieba never saw
            # (two-character unknowns are mostly segmentation debris), or a number stated.
            named = flag in ("nr", "ns", "nt", "nz") and len(word) >= 2
            rare_or_absent = general < PROPER_MAX_FREQ or not (known or common_noun(word))
            proper = named and rare_or_absent and not everyday(word)
            specific = proper or (general == 0 and cjk and len(word) >= 3) or word.isdigit()
            # A word in nearly every paragraph (the city in its own daily) is little evidence either way.
            weight *= CORPUS_FLOOR + (1 - CORPUS_FLOOR) * self.idf_share(word)
            alternatives: tuple[str, ...] = ()
            if cjk and len(word) >= 2 and not known:
                alternatives = tuple(dict.fromkeys(a for a in self.sounds_like(word) if a != word))
            if arabic_numerals(word) != word:
                alternatives += (arabic_numerals(word),)
            alternatives += chinese_numerals(word)
            unit_weight = max(weight, 0.6) if proper else weight
            # Two characters neither jieba's dictionary nor this corpus knows, and no word of the
            # corpus sounds like: segmentation debris of spoken words ("那俩", "要建"), not a topic.
            if cjk and len(word) == 2 and general <= DEBRIS_FREQ and not known and not alternatives and not proper:
                unit_weight *= DEBRIS_WEIGHT
            same = tuple(w for w in self.synonyms(word) if w not in alternatives)
            units[word] = Unit(word, unit_weight, specific, alternatives, self.word_idf(word), same)
        return list(units.values())
