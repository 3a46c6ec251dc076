"""The steps of `daihoi demo`, in order. Each is a dotted path to `build(*, root)`.

A step receives the province's root unit (None before the first step has run) and may
return a unit, which becomes the root for the steps after it; a step that also takes
`stdout` gets the command's output stream for a line of progress. Every step must be
idempotent: a second `daihoi demo` neither fails nor duplicates anything. Apps add their
own step (e.g. "daihoi.demo.cycle.build") to the end of this list.
"""

STEPS = [
    "daihoi.demo.province.build",
    "daihoi.demo.users.build",
    "daihoi.demo.cycle.build",
    "daihoi.demo.consultation.build",
    "daihoi.demo.personnel.build",
    "daihoi.demo.cases.build",
    "daihoi.demo.after.build",
]
