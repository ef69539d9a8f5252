"""The words a question names a metric with, as patterns over the lower-cased question
(`CUES`), and the cues that ask for a metric outright (`DIRECT`)."""

from __future__ import annotations

_PLACES = (
    r"places?|districts?|towns?|villages?|cities|city|settlements?|areas?|locations?|regions?"
    r"|neighbou?rhoods?|communities|oblasts?"
)
# The metric words: each cue a question can carry, as a pattern over the lower-cased text.
CUES: dict[str, str] = {
    "drone": r"drones?|uavs?|shaheds?|gerans?|decoys?|unmanned",
    "missile": r"missiles?|rockets?|iskanders?|kinzhals?|kalibrs?|ballistic|cruise",
    "launch": r"launch\w*|fired|firing|(?<!a )(?<!any )fire(?! broke| started)|sent|send|used"
    r"|use|hurled|attacked with",
    "down": r"down\w*|intercept\w*|destroy\w*|neutrali[sz]\w*|stopped|repelled",
    "shot": r"shot down|shoot\w* down",
    "jam": r"jam\w*|electronic warfare|ew|suppress\w*|spoof\w*|lost to",
    "killed": r"kill\w*|dead|died|die|deaths?|fatalit\w*|lives",
    "injured": r"injur\w*|wound\w*|hurt|medical|hospital\w*",
    "casualties": r"casualt\w*|victims?",
    "places": rf"how many (?:\w+ )?(?:{_PLACES})|(?:{_PLACES}) (?:\w+ )?(?:hit|struck|damaged|"
    r"targeted|affected)|places hit|debris",
    "fires": r"fires|blazes?|(?:a|any) fire|fire (?:broke|started)|burn\w*",
    "alert": r"alerts?|sirens?|how long",
    "attack": r"attack\w*|strikes?|struck|assaults?|onslaught|bombard\w*|barrage|raids?|shelling"
    r"|bombing",
    "swap": r"prisoners?|pows?|captives?|swap\w*|exchang\w*|detainees?",
    "release": r"releas\w*|freed|free|returned|return|brought (?:home|back)|(?:came|come) home"
    r"|homecoming",
    "agreed": r"agreed|agreement|deal\w*|promised|committed|supposed to",
    "total": r"in all|in total|total\w*|so far|altogether|overall|cumulative\w*|to date|combined",
    "conflict": r"conflict\w*|disagree\w*|disput\w*|contradict\w*|discrepan\w*|inconsisten\w*"
    r"|suspect\w*|outliers?|set aside|differ\w*|wrong|errors?|mistakes?|typos?|agree|doubt\w*"
    r"|trust\w*|reliable",
    "help": r"help|what can you|commands?|what do you know|how do i",
}

# Cues that ask a metric outright: the metrics each one asks for.
DIRECT = {
    "killed": ("attack.killed",),
    "injured": ("attack.injured",),
    "casualties": ("attack.killed", "attack.injured"),
    "places": ("attack.places_hit",),
    "fires": ("attack.fires",),
    "alert": ("attack.alert_hours",),
}
