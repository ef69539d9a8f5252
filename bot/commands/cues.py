"""The words of a question that are no one metric's, as patterns over the lower-cased question:
weapons and what was done to them (each names several metrics: "drones shot down"), the
topics, totals, conflicts and help.

A metric's own words ("killed", "fires") are config: its `asked` phrases in metrics.toml,
read through `bot.extract.Naming`.
"""

from __future__ import annotations

# Each cue a question can carry, as a pattern over the lower-cased text.
CUES: dict[str, str] = {
    "drone": r"drones?|uavs?|shaheds?|gerans?|decoys?|unmanned",
    "missile": r"missiles?|rockets?|iskanders?|kinzhals?|kalibrs?|ballistic|cruise",
    "launch": r"launch\w*|fired|firing|(?<!a )(?<!any )fire(?! broke| started)|sent|send|used"
    r"|use|hurled|attacked with",
    "down": r"down\w*|intercept\w*|destroy\w*|neutrali[sz]\w*|stopped|repelled",
    "shot": r"shot down|shoot\w* down",
    "jam": r"jam\w*|electronic warfare|ew|suppress\w*|spoof\w*|lost to",
    "attack": r"attack\w*|strikes?|struck|assaults?|onslaught|bombard\w*|barrage|raids?|shelling"
    r"|bombing",
    "swap": r"prisoners?|pows?|captives?|swap\w*|exchang\w*|detainees?",
    "total": r"in all|in total|total\w*|so far|altogether|overall|cumulative\w*|to date|combined",
    "conflict": r"conflict\w*|disagree\w*|disput\w*|contradict\w*|discrepan\w*|inconsisten\w*"
    r"|suspect\w*|outliers?|set aside|differ\w*|wrong|errors?|mistakes?|typos?|agree|doubt\w*"
    r"|trust\w*|reliable",
    "help": r"help|what can you|commands?|what do you know|how do i",
}

# What follows "how many" in a question and names no thing of its own: the subject is the
# metric's word that comes later ("how many were killed", "how many people died").
NOT_A_THING = r"were|was|did|do|does|have|has|had|are|is|will|would|of|the|more|times|in|on"
# Words for people, counted by several metrics: the metric is in the verb ("people killed").
PEOPLE = r"people|persons?|civilians|residents|men|soldiers|servicem[ae]n|troops|ukrainians"
SIDE_WORDS = r"russian|ukrainian"
