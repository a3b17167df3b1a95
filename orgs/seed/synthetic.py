"""The words and proportions a synthetic atlas is made of: invented names that can never be
mistaken for real organizations, and how often spells are drafts, disputed or ended."""

from __future__ import annotations

import datetime

from orgs.dates import Precision

PLAN = {
    "organizations": 600,
    "people": 2_000,
    "sources": 20_000,
    "memberships": 60_000,
    "applications": 10_000,
    "quotes": 30_000,
}

BATCH_SIZE = 2_000
CREATED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
HORIZON = datetime.date(2026, 6, 30)  # no generated date is later
MIN_SPELL = 400  # days: wider than a year, so truncating an end to its year stays after the start
DRAFT_RATE = 0.02
DISPUTED_RATE = 0.01
ALWAYS_PUBLISHED = 10  # org-00001…org-00010 are never drafts: benchmarks and tests use them

PREFIXES = [
    ("Eurasian", "Евразийская", "Евразийский"),
    ("Central Asian", "Центральноазиатская", "Центральноазиатский"),
    ("Caspian", "Каспийская", "Каспийский"),
    ("Black Sea", "Черноморская", "Черноморский"),
    ("Baltic", "Балтийская", "Балтийский"),
    ("Arctic", "Арктическая", "Арктический"),
    ("Asia-Pacific", "Азиатско-Тихоокеанская", "Азиатско-Тихоокеанский"),
    ("Silk Road", "Шёлковая", "Шёлковый"),
    ("Turkic", "Тюркская", "Тюркский"),
    ("Caucasus", "Кавказская", "Кавказский"),
    ("Danube", "Дунайская", "Дунайский"),
    ("Northern", "Северная", "Северный"),
    ("Southern", "Южная", "Южный"),
    ("Inter-Regional", "Межрегиональная", "Межрегиональный"),
]
TOPICS = [
    ("Economic", "экономического"),
    ("Energy", "энергетического"),
    ("Transport", "транспортного"),
    ("Security", "в области безопасности"),
    ("Customs", "таможенного"),
    ("Digital", "цифрового"),
    ("Agricultural", "сельскохозяйственного"),
    ("Water", "водного"),
    ("Scientific", "научного"),
    ("Cultural", "культурного"),
    ("Financial", "финансового"),
    ("Health", "медицинского"),
    ("Migration", "миграционного"),
    ("Space", "космического"),
    ("Trade", "торгового"),
    ("Environmental", "экологического"),
]
# (English pattern, Russian pattern, Russian adjective form: 0 feminine, 1 masculine)
FORMS = [
    (
        "{prefix} Organization for {topic} Cooperation",
        "{prefix} организация {topic} сотрудничества",
        0,
    ),
    ("{prefix} {topic} Community", "{prefix} сообщество {topic} сотрудничества", 1),
    ("{prefix} {topic} Council", "{prefix} совет {topic} сотрудничества", 1),
    ("{prefix} {topic} Forum", "{prefix} форум {topic} сотрудничества", 1),
    ("{prefix} Commission for {topic} Cooperation", "{prefix} комиссия {topic} сотрудничества", 0),
    ("{prefix} {topic} Union", "{prefix} союз {topic} сотрудничества", 1),
    ("{prefix} Bank for {topic} Development", "{prefix} банк {topic} развития", 1),
    (
        "{prefix} Conference on {topic} Cooperation",
        "{prefix} конференция {topic} сотрудничества",
        0,
    ),
]
CITIES = [
    "Almaty", "Astana", "Baku", "Bishkek", "Dushanbe", "Minsk", "Moscow", "Tashkent", "Tbilisi",
    "Yerevan", "Ashgabat", "Beijing", "Shanghai", "Ankara", "Tehran", "New Delhi", "Ulaanbaatar",
    "Kazan", "Samarkand", "Vladivostok",
]  # fmt: skip
PUBLISHERS = [
    "Eurasian Herald", "Steppe Daily", "Caspian Wire", "Silk Road Monitor", "Northern Review",
    "Continental Gazette", "Regional Affairs Weekly", "Ministry bulletin", "Secretariat press office",
    "Policy Digest",
]  # fmt: skip
# (Latin, Cyrillic) name parts: the people are fictional.
GIVEN_NAMES = [
    ("Aleksandr", "Александр"), ("Aigerim", "Айгерим"), ("Bakhyt", "Бахыт"), ("Dilnoza", "Дилноза"),
    ("Elena", "Елена"), ("Farid", "Фарид"), ("Gulnara", "Гульнара"), ("Ivan", "Иван"),
    ("Kamila", "Камила"), ("Marat", "Марат"), ("Nina", "Нина"), ("Oleg", "Олег"),
    ("Rustam", "Рустам"), ("Saule", "Сауле"), ("Timur", "Тимур"), ("Zarina", "Зарина"),
]  # fmt: skip
FAMILY_NAMES = [
    ("Abdullaev", "Абдуллаев"), ("Bekov", "Беков"), ("Chernov", "Чернов"), ("Davletov", "Давлетов"),
    ("Ermekov", "Ермеков"), ("Grigoryan", "Григорян"), ("Ismailov", "Исмаилов"),
    ("Karimov", "Каримов"), ("Lebedev", "Лебедев"), ("Mamedov", "Мамедов"), ("Nazarov", "Назаров"),
    ("Orlov", "Орлов"), ("Petrov", "Петров"), ("Rakhimov", "Рахимов"), ("Sadykov", "Садыков"),
    ("Tokaev", "Токаев"), ("Usmanov", "Усманов"), ("Volkov", "Волков"),
]  # fmt: skip
ROLES = ["Minister of Foreign Affairs", "Deputy Prime Minister", "Secretary-General",
         "Ambassador", "President", "Spokesperson", "Minister of Economy"]  # fmt: skip

# Status chains of one member in one organization, by length: each status is a new spell.
CHAINS = {
    1: [["member"], ["member"], ["observer"], ["dialogue_partner"], ["participant"], ["partner"]],
    2: [["observer", "member"], ["dialogue_partner", "observer"], ["member", "suspended"],
        ["associate_member", "member"], ["partner", "member"]],
    3: [["dialogue_partner", "observer", "member"], ["member", "suspended", "member"],
        ["partner", "observer", "member"], ["observer", "associate_member", "member"]],
    4: [["dialogue_partner", "observer", "associate_member", "member"],
        ["member", "suspended", "member", "suspended"]],
}  # fmt: skip
FOUNDER_CHAINS = {
    1: [["member"]],
    2: [["member", "suspended"]],
    3: [["member", "suspended", "member"]],
    4: [["member", "suspended", "member", "suspended"]],
}
MAX_CHAIN = max(CHAINS)
EXIT_RATE = 0.15

# A boundary is stored as its earliest day at one of these precisions.
START_PRECISIONS = ([Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.BY], [60, 20, 15, 5])
END_PRECISIONS = ([Precision.DAY, Precision.MONTH, Precision.YEAR], [60, 25, 15])
