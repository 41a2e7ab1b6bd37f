"""What every rule module provides: a key, whether it is hard, its business name, and `add`."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from scheduling.roster.catalogue import title

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel, Term
    from scheduling.roster.schema import RosterInstance


class Rule:
    key: ClassVar[str]
    hard: ClassVar[bool]

    def title(self, inst: RosterInstance) -> str:
        return title(self.key, inst)

    def add(self, ctx: RosterModel) -> list[Term]:
        """Add the rule's constraints; return its objective terms (empty for a hard rule)."""
        raise NotImplementedError
