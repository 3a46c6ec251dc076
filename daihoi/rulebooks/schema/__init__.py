"""The schema of a rulebook file: the rules of one congress cycle as validated data.

Pure Python, no Django import. Every value taken from a legal source is a `Cited[T]`
carrying the value, its source and whether it was verified against the source text.
Cross-references (levels, congress types, dates) are checked when a `Rulebook` is built,
once every field is well-formed; each problem names the dotted path of the bad value.

One module per section: `cycle`, `standards`, `elections`, `personnel`, `cases`, `after`, and
`book` (the whole rulebook and its checks); `_base` holds the cited value and the codes.
"""

from daihoi.rulebooks.schema._base import (
    Cited,
    Code,
    Duration,
    Frozen,
    Gender,
    Names,
    Percent,
    RulebookId,
    Text,
)
from daihoi.rulebooks.schema.after import (
    CommendationLevel,
    DecisionWindow,
    EarlyRetirementPolicy,
    EmulationRules,
    InsuredYearsAllowance,
    LeaderAllowance,
    NotReelectedPolicy,
    ResignationPolicy,
    Transitions,
)
from daihoi.rulebooks.schema.book import (
    Problem,
    Rulebook,
    format_location,
    problems_from,
)
from daihoi.rulebooks.schema.cases import (
    CaseCutoff,
    CaseDeadlines,
    CaseKind,
    ComplaintGround,
    ComplaintRules,
)
from daihoi.rulebooks.schema.cycle import (
    CongressContent,
    CongressType,
    FormedUnitWindow,
    Level,
    LevelSchedule,
    TypeAssignment,
)
from daihoi.rulebooks.schema.elections import (
    BallotOrderKey,
    DelegateRules,
    ElectionRules,
    PercentRange,
    SmallCommitteeSurplus,
    Threshold,
)
from daihoi.rulebooks.schema.personnel import (
    AppointmentStep,
    BodyRequirement,
    DossierItemSpec,
    DossierRules,
    EducationLevel,
    IntroductionRules,
    IntroductionStep,
    PersonnelBody,
    PersonnelRules,
    PoolRules,
    PoolShare,
    Share,
    StandardsRules,
    TheoryLevel,
    WorkingTimeRule,
)
from daihoi.rulebooks.schema.standards import (
    AgeRules,
    RetirementRules,
    RoadmapSpec,
    Standard,
    StructureTarget,
)

__all__ = [
    "AgeRules",
    "AppointmentStep",
    "BallotOrderKey",
    "BodyRequirement",
    "CaseCutoff",
    "CaseDeadlines",
    "CaseKind",
    "Cited",
    "Code",
    "CommendationLevel",
    "ComplaintGround",
    "ComplaintRules",
    "CongressContent",
    "CongressType",
    "DecisionWindow",
    "DelegateRules",
    "DossierItemSpec",
    "DossierRules",
    "Duration",
    "EarlyRetirementPolicy",
    "EducationLevel",
    "ElectionRules",
    "EmulationRules",
    "FormedUnitWindow",
    "Frozen",
    "Gender",
    "InsuredYearsAllowance",
    "IntroductionRules",
    "IntroductionStep",
    "LeaderAllowance",
    "Level",
    "LevelSchedule",
    "Names",
    "NotReelectedPolicy",
    "Percent",
    "PercentRange",
    "PersonnelBody",
    "PersonnelRules",
    "PoolRules",
    "PoolShare",
    "Problem",
    "ResignationPolicy",
    "RetirementRules",
    "RoadmapSpec",
    "Rulebook",
    "RulebookId",
    "Share",
    "SmallCommitteeSurplus",
    "Standard",
    "StandardsRules",
    "StructureTarget",
    "Text",
    "TheoryLevel",
    "Threshold",
    "Transitions",
    "TypeAssignment",
    "WorkingTimeRule",
    "format_location",
    "problems_from",
]
