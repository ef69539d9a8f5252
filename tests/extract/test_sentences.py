"""Sentences of our own, in the styles wire services, national outlets and official statements
use, read into figures: (metric, value, qualifier, side). Written from how such reports phrase
counts, not from the seeds (which test_gold scores); the few seed sentences are named."""

from __future__ import annotations

import pytest

from tests.extract.common import keys

UA, RU = "ukraine", "russia"

AIR_FORCE = [
    (
        "Russia attacked Ukraine overnight with 69 missiles and 298 drones; air defence shot down "
        "266 drones and 45 missiles, and 19 drones were lost to electronic warfare, the air force "
        "said.",
        {
            ("attack.missiles_launched", 69, "exact", UA),
            ("attack.drones_launched", 298, "exact", UA),
            ("attack.drones_shot_down", 266, "exact", UA),
            ("attack.missiles_downed", 45, "exact", UA),
            ("attack.drones_jammed", 19, "exact", UA),
        },
    ),
    (
        "On the night of June 1, the enemy attacked with 472 air attack assets: 450 Shahed-type "
        "attack UAVs and decoy drones and 22 missiles of various types.",
        {
            ("attack.launched", 472, "exact", UA),
            ("attack.drones_launched", 450, "exact", UA),
            ("attack.missiles_launched", 22, "exact", UA),
        },
    ),
    (
        "As of 09:00, air defence had shot down or suppressed 385 enemy drones, the Ukrainian Air "
        "Force said.",
        {("attack.drones_downed", 385, "exact", UA)},
    ),
    (
        "Air defence neutralised 277 drones: 180 were shot down and 97 were locationally lost.",
        {
            ("attack.drones_downed", 277, "exact", UA),
            ("attack.drones_shot_down", 180, "exact", UA),
            ("attack.drones_jammed", 97, "exact", UA),
        },
    ),
    (  # figures.md's own example of a split without a stated total
        "Ukrainian forces shot down 296 drones, while 415 were lost to jamming.",
        {("attack.drones_shot_down", 296, "exact", UA), ("attack.drones_jammed", 415, "exact", UA)},
    ),
    (  # launched *from* Russian regions: Ukraine is still the side attacked
        "Overnight, Russia launched 90 Shahed attack drones and decoys from Kursk, Oryol and "
        "Millerovo, the Ukrainian Air Force reported.",
        {("attack.drones_launched", 90, "exact", UA)},
    ),
    ("In total, the enemy used 112 means of air attack.", {("attack.launched", 112, "exact", UA)}),
    (
        "The enemy also launched two Iskander-M ballistic missiles from the Kursk region.",
        {("attack.missiles_launched", 2, "exact", UA)},
    ),
    (
        "The Ukrainian Air Force said Russia fired a total of 550 drones and missiles overnight, "
        "the largest attack of the war.",
        {("attack.launched", 550, "exact", UA)},
    ),
    (  # "since the start of the war" compares the attack; it does not total it
        "It was the largest aerial attack since the start of the war, with Russia launching 728 "
        "drones and 13 missiles.",
        {
            ("attack.drones_launched", 728, "exact", UA),
            ("attack.missiles_launched", 13, "exact", UA),
        },
    ),
    (  # a frame and its part: the frame is the whole (issue 14, cause 6)
        "Of the 40 missiles, 36 were intercepted, the air force said.",
        {
            ("attack.missiles_downed", 36, "exact", UA),
            ("attack.missiles_launched", 40, "exact", UA),
        },
    ),
]

DEFENCE_MINISTRY = [
    (
        "Russia's Defence Ministry said its air defence systems intercepted and destroyed 337 "
        "Ukrainian drones overnight, including 91 over the Kursk region.",
        # a part by place is a figure (figures.md: "a count for one place ... is a figure")
        {("attack.drones_downed", 337, "exact", RU), ("attack.drones_downed", 91, "exact", RU)},
    ),
    (
        "The Russian Defence Ministry said 40 Ukrainian drones were shot down over the Belgorod, "
        "Bryansk and Kursk regions.",
        {("attack.drones_downed", 40, "exact", RU)},
    ),
    (
        "Up to 40 drones were destroyed over the Black Sea, Russia's Defence Ministry claimed.",
        {("attack.drones_downed", 40, "up_to", RU)},
    ),
    (
        "Moscow said Ukraine had launched 524 drones at Russian territory overnight, all of which "
        "were destroyed.",
        {("attack.drones_launched", 524, "exact", RU)},
    ),
    (  # a Russian claim of targets hit in Ukraine: the side attacked is Ukraine (seed 004 gold)
        "The Russian defence ministry said it had inflicted damage on targets across 142 areas.",
        {("attack.places_hit", 142, "exact", UA)},
    ),
]

CASUALTIES = [
    (
        "A Russian missile strike on the city of Sumy killed 35 people, including two children, "
        "and injured 117 others, officials said.",
        {("attack.killed", 35, "exact", UA), ("attack.injured", 117, "exact", UA)},
    ),
    (
        "The death toll from Thursday's strike on Kryvyi Rih rose to 20, with 75 people wounded, "
        "the regional governor said.",
        {("attack.killed", 20, "exact", UA), ("attack.injured", 75, "exact", UA)},
    ),
    (  # figures.md: the hedge of one verb does not cover the next verb's number
        "Russian strikes killed at least eight people and injured 24 others in Kharkiv on "
        "Saturday.",
        {("attack.killed", 8, "at_least", UA), ("attack.injured", 24, "exact", UA)},
    ),
    (
        "Three people were killed and 12 wounded when a guided bomb hit a residential building in "
        "Zaporizhzhia.",
        {("attack.killed", 3, "exact", UA), ("attack.injured", 12, "exact", UA)},
    ),
    (
        "Two people died and six were hospitalised after a drone struck a bus in Nikopol, "
        "regional authorities said.",
        {("attack.killed", 2, "exact", UA), ("attack.injured", 6, "exact", UA)},
    ),
    (
        "At least 15 people, among them four children, were injured in the attack.",
        {("attack.injured", 15, "at_least", UA)},
    ),
    ("Four children were among the wounded.", set()),
    (
        "Kyiv Mayor Vitali Klitschko said 23 people were injured, 14 of whom were hospitalised.",
        {("attack.injured", 23, "exact", UA)},
    ),
    (
        "Twenty-one people were killed in the strike on Chernihiv, and as many as 60 were injured, "
        "the State Emergency Service said.",
        {("attack.killed", 21, "exact", UA), ("attack.injured", 60, "up_to", UA)},
    ),
    (
        "About 30 people sought medical help after the attack, and roughly a dozen homes were "
        "damaged.",
        {("attack.injured", 30, "about", UA)},
    ),
    ("Seven people, including a child, were killed.", {("attack.killed", 7, "exact", UA)}),
    (
        "One person was killed and five others were injured in the Dnipro region, governor Serhiy "
        "Lysak said.",
        {("attack.killed", 1, "exact", UA), ("attack.injured", 5, "exact", UA)},
    ),
    (
        "A dozen people were injured and two fires broke out after drone debris fell on three "
        "districts of the capital.",
        {
            ("attack.injured", 12, "exact", UA),
            ("attack.fires", 2, "exact", UA),
            ("attack.places_hit", 3, "exact", UA),
        },
    ),
    (
        "Officials said 20 people were injured, including six children, and 3 killed.",
        {("attack.injured", 20, "exact", UA), ("attack.killed", 3, "exact", UA)},
    ),
    (  # seed 001: "a minimum of" hedges, and casualties with no split are injured (figures.md)
        "However, this exchange occurred shortly after a significant drone and missile assault on "
        "Kyiv by Vladimir Putin’s army, resulting in a minimum of 15 casualties.",
        {("attack.injured", 15, "at_least", UA)},
    ),
]

PLACES_AND_ALERTS = [
    (
        "The enemy struck 15 of 24 regions, officials said.",
        {("attack.places_hit", 15, "exact", UA)},
    ),
    (
        "Debris fell in seven districts, the Kyiv City Military Administration said.",
        {("attack.places_hit", 7, "exact", UA)},
    ),
    (
        "The air raid alert in Kyiv lasted for nearly five hours.",
        {("attack.alert_hours", 5, "nearly", UA)},
    ),
    ("The 8-hour air raid alert ended at dawn.", {("attack.alert_hours", 8, "exact", UA)}),
    (  # the attack's duration is no alert; the sirens' is
        "The attack lasted about two hours, and air raid sirens sounded for more than four hours "
        "in the capital.",
        {("attack.alert_hours", 4, "more_than", UA)},
    ),
]

SWAPS = [
    (  # "in a deal" does not make an exchange that took place an agreed count
        "Ukraine and Russia exchanged 84 prisoners each on Thursday in a deal brokered by the "
        "United Arab Emirates.",
        {("swap.released", 84, "exact", "both")},
    ),
    (
        "Zelensky said 205 Ukrainian defenders had returned home, while Moscow said it had "
        "received the same number of Russian servicemen.",
        {("swap.released", 205, "exact", UA)},
    ),
    (
        "Russia's Defence Ministry said 150 Russian servicemen had been returned from territory "
        "controlled by Kyiv.",
        {("swap.released", 150, "exact", RU)},
    ),
    (
        "Under the deal agreed in Istanbul, each side committed to exchanging 1,200 prisoners.",
        {("swap.agreed", 1200, "exact", "both")},
    ),
    (  # a combined total of both sides: side null (figures.md)
        "More than 300 prisoners were swapped on Friday.",
        {("swap.released", 300, "more_than", None)},
    ),
    (
        "Ukraine brought back three hundred and seven soldiers on Saturday, Zelensky said.",
        {("swap.released", 307, "exact", UA)},
    ),
    (
        "Nearly a thousand people have already been returned under the 1,000-for-1,000 deal.",
        {("swap.released_total", 1000, "nearly", None), ("swap.agreed", 1000, "exact", "both")},
    ),
    (
        "The two sides exchanged 390 prisoners each on Friday, 307 on Saturday and 303 on Sunday.",
        {
            ("swap.released", 390, "exact", "both"),
            ("swap.released", 307, "exact", "both"),
            ("swap.released", 303, "exact", "both"),
        },
    ),
    (  # a breakdown by rank of people already counted
        "Of the 390 people freed, 270 are soldiers and 120 are civilians.",
        {("swap.released", 390, "exact", None)},
    ),
    (  # one count given for each side in a sentence is a per-side count (issue 14, cause 3)
        "Ukraine returned 390 Russian prisoners of war and got back 390 of its own soldiers, the "
        "Coordination Headquarters said.",
        {("swap.released", 390, "exact", "both")},
    ),
    (  # seed 004: cumulative over several phases, per side
        "Each side has released nearly a thousand soldiers and civilians over the past three days, "
        "even as the war continued with unabated intensity.",
        {("swap.released_total", 1000, "nearly", "both")},
    ),
    (  # seed 002: "already" makes a running total; "1,000-for-1,000" an agreed count
        "“Just in these two days, 697 people have already been brought back,” Zelenskyy said on "
        "Telegram, referring to the 1,000-for-1,000 deal brokered in Turkey.",
        {("swap.released_total", 697, "exact", UA), ("swap.agreed", 1000, "exact", "both")},
    ),
]

HEDGES = [
    (
        "Russian forces have fired about 100 missiles and 100 drones at Ukraine, the air force "
        "said.",
        {
            ("attack.missiles_launched", 100, "about", UA),
            ("attack.drones_launched", 100, "about", UA),
        },
    ),
    (  # figures.md: one hedge covers the coordinated numbers under one verb
        "More than 100 missiles and 100 drones were launched at Ukraine on Tuesday night.",
        {
            ("attack.missiles_launched", 100, "more_than", UA),
            ("attack.drones_launched", 100, "more_than", UA),
        },
    ),
    ("Some 250 drones were launched.", {("attack.drones_launched", 250, "about", UA)}),
    ("Approximately 40 drones were shot down.", {("attack.drones_downed", 40, "about", UA)}),
    ("Almost 20 people were injured.", {("attack.injured", 20, "nearly", UA)}),
    ("Close to 100 drones were shot down.", {("attack.drones_downed", 100, "nearly", UA)}),
    ("No fewer than 12 people were killed.", {("attack.killed", 12, "at_least", UA)}),
    ("Over 30 towns and villages were hit.", {("attack.places_hit", 30, "more_than", UA)}),
    ("Roughly 60 drones were destroyed.", {("attack.drones_downed", 60, "about", UA)}),
]

WIRE = [
    (
        "KYIV, Ukraine (AP) — Russia fired 479 drones and 20 missiles at Ukraine overnight, the "
        "Ukrainian air force said Monday, in what it described as the largest aerial attack of "
        "the war.",
        {
            ("attack.drones_launched", 479, "exact", UA),
            ("attack.missiles_launched", 20, "exact", UA),
        },
    ),
    (  # what got through is neither launched (again) nor downed
        "Ukraine's air force said it intercepted 277 drones and 19 missiles, while another 10 "
        "missiles and 20 drones struck their targets.",
        {("attack.drones_downed", 277, "exact", UA), ("attack.missiles_downed", 19, "exact", UA)},
    ),
    (
        "A Russian ballistic missile strike on a university in Poltava killed 51 people and "
        "wounded 271, officials said.",
        {("attack.killed", 51, "exact", UA), ("attack.injured", 271, "exact", UA)},
    ),
    (
        "The number of people killed in the attack on Dnipro has risen to 46, including six "
        "children, the regional administration said.",
        {("attack.killed", 46, "exact", UA)},
    ),
    (
        "Ukraine and Russia carried out their largest prisoner exchange of the war on Friday, "
        "each releasing 390 prisoners.",
        {("swap.released", 390, "exact", "both")},
    ),
    (
        "Russia and Ukraine each freed 75 prisoners of war in an exchange mediated by the UAE.",
        {("swap.released", 75, "exact", "both")},
    ),
    (  # "handed over" is a verb, not a hedge
        "In exchange, Ukraine handed over 205 Russian servicemen.",
        {("swap.released", 205, "exact", RU)},
    ),
    (
        "Under the agreement, Ukraine and Russia will swap 1,200 prisoners each, Zelensky said.",
        {("swap.agreed", 1200, "exact", "both")},
    ),
    (
        "A total of 95 Ukrainian POWs were returned, the Coordination Headquarters for the "
        "Treatment of Prisoners of War said on Telegram.",
        {("swap.released", 95, "exact", UA)},
    ),
    (
        "The Kyiv Independent reported that two people were killed and 16 injured in Kyiv's "
        "Darnytskyi district.",
        {("attack.killed", 2, "exact", UA), ("attack.injured", 16, "exact", UA)},
    ),
    (
        "Shelling killed one person and injured three in Kherson Oblast.",
        {("attack.killed", 1, "exact", UA), ("attack.injured", 3, "exact", UA)},
    ),
    (
        "Russian forces launched 3 Kh-101 cruise missiles and 16 Shahed drones at Odesa Oblast "
        "overnight.",
        {("attack.missiles_launched", 3, "exact", UA), ("attack.drones_launched", 16, "exact", UA)},
    ),
    ("Air defense shot down all 16 drones.", {("attack.drones_downed", 16, "exact", UA)}),
    (
        "At least 20 drones were downed over Moscow, Mayor Sergei Sobyanin said.",
        {("attack.drones_downed", 20, "at_least", RU)},
    ),
    (
        "Ukraine's Air Force said the Russians used 45 Shahed-type drones in the attack, of "
        "which 37 were destroyed.",
        {("attack.drones_launched", 45, "exact", UA), ("attack.drones_downed", 37, "exact", UA)},
    ),
]

NOT_FIGURES = [
    "The injured include two children aged 5 and 12.",
    "Around 30 explosions were heard in the city.",
    "Power was cut to 300,000 customers in the Kharkiv region after the strike.",
    "Russia could soon launch up to 1,000 drones a day, Ukrainian intelligence warned.",
    "Russia has launched more than 28,000 Shahed drones since the start of the full-scale war.",
    "In total, 4,552 Ukrainians have been freed from Russian captivity since 2022.",
    "The exchange was the 65th since the full-scale invasion began, bringing the total number of "
    "Ukrainians returned to 4,552.",
    "Ukraine also received the bodies of 6,000 fallen soldiers under the agreement.",
    "A 43-year-old woman was among those killed in the five-story building, which was hit twice "
    "in 90 minutes.",
    "The attack came days after a 620-mile convoy was spotted; hundreds of drones and dozens of "
    "missiles were used.",
    "The strikes damaged power lines, leaving 15 regions without electricity.",
    "Drones were shot down over 12 regions, the air force said.",
    "Explosions were heard in Kyiv as some 40 drones approached the capital.",
    "About 8% of the drones reached their targets, according to the air force.",
    "The drones flew some 1,000 kilometres before reaching Lviv.",
    "Russia is capable of producing around 2,700 Shahed drones a month, Ukrainian intelligence "
    "estimated.",
    "Zelensky said Russia had launched more than 2,400 drones, 1,300 guided bombs and nearly 100 "
    "missiles this week.",
    "Ukraine's coordination headquarters said it was the 64th exchange since the start of the war.",
    "One of the missiles hit an apartment block.",
    "Ukrainian officials said 6 drones were seen heading towards Kyiv at around 3 a.m.",
    "Russia fired a ballistic missile and a drone at Odesa.",
    "The talks lasted 90 minutes and the delegations met for the first time in three years.",
    "Hundreds of people gathered, and tens of thousands of soldiers have been killed since 2022.",
    "Putin's 2022 invasion was followed by 2023's counteroffensive on a 1,000-kilometre front.",
    "Russia controls around 20% of Ukraine's territory.",
    "The 47th Brigade said Day 2 of the operation began at 6:30.",
    "A few hundred drones and several thousand troops were seen near the border.",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    AIR_FORCE + DEFENCE_MINISTRY + WIRE + CASUALTIES + PLACES_AND_ALERTS + SWAPS + HEDGES,
)
def test_sentence_figures(text: str, expected: set[tuple[str, int, str, str | None]]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_numbers_that_are_no_figures(text: str) -> None:
    assert keys(text) == set()


def test_evidence_is_the_sentence_as_it_stands() -> None:
    from bot.extract import extract
    from tests.extract.common import SUNDAY, VOCABULARY

    text = "Kyiv, Ukraine.\n\n  Russia fired 14 missiles overnight.  Three people died.\n"
    figures = extract(text, SUNDAY, "doc", VOCABULARY)
    assert [(f.evidence, f.source) for f in figures] == [
        ("Russia fired 14 missiles overnight.", "doc"),
        ("Three people died.", "doc"),
    ]
