"""The audience projection: the one place that decides what each edition may show.

`project(plan, public)` returns a new Plan holding only what the public may see: staff-only items
are dropped, staff-only fields (internal notes, contact details) are emptied, and every reference
to a dropped item is removed, so no title or text of a staff-only item can be rendered by
accident. Nothing downstream filters again or hides anything with CSS or JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Action, Audience, Commitment, Document, Item, Plan, Recommendation, Role, Update


@dataclass(frozen=True)
class Edition:
    """What an edition shows beyond its projected plan. Downstream code asks these flags, never the name."""

    name: str  # "public" or "staff": the folder the edition is built into
    label: str
    shows_draft: bool  # the working plan as a version of its own
    shows_risks: bool
    shows_guide: bool
    shows_evidence: bool  # the evidence gaps page (completed actions without evidence, links readers lose)
    banner: str | None  # a notice on every page


STAFF = Edition("staff", "Staff edition", shows_draft=True, shows_risks=True, shows_guide=True, shows_evidence=True,
                banner="Includes staff-only content such as the risk register and internal notes. "
                       "Do not share outside the council and its partners.")
PUBLIC = Edition("public", "Public edition", shows_draft=False, shows_risks=False, shows_guide=False,
                 shows_evidence=False, banner=None)
EDITIONS = (PUBLIC, STAFF)


@dataclass(frozen=True)
class Banner:
    """A notice shown at the top of every page of a site, as plain text (escaped when staged)."""

    kind: str  # draft, correction, staff: names the CSS modifier
    heading: str
    text: str


def banners(edition: Edition, is_draft: bool, correction: str) -> list[Banner]:
    """The notices every page of one (edition, version) site carries, in the order they are shown."""
    out = []
    if is_draft:
        out.append(Banner("draft", "Draft: not yet reported.", "This is the working plan as editors are changing "
                          "it. It has not been reported to any board or panel."))
    if correction:
        out.append(Banner("correction", "Corrected after publication.", correction))
    if edition.banner:
        out.append(Banner("staff", f"{edition.label}.", edition.banner))
    return out


def _clean_updates(updates: list[Update], visible: set[str]) -> list[Update]:
    out = []
    for up in updates:
        evidence = [e for e in up.evidence if e.document is None or e.document in visible]
        out.append(up.model_copy(update={"internal_note": None, "evidence": evidence}))
    return out


def _public_copy(item: Item, visible: set[str]) -> Item:
    changes: dict = {"internal_note": None}
    if isinstance(item, Role):
        changes["contact"] = None
    elif isinstance(item, Commitment):
        changes["recommendations"] = [r for r in item.recommendations if r in visible]
        changes["success_criteria"] = [
            sc.model_copy(update={"measure": sc.measure if sc.measure in visible else None})
            for sc in item.success_criteria
        ]
    elif isinstance(item, Action):
        changes["updates"] = _clean_updates(item.updates, visible)
        changes["answers"] = [r for r in item.answers if r in visible]
    elif isinstance(item, Recommendation):
        changes["progress"] = _clean_updates(item.progress, visible)
    elif isinstance(item, Document):
        changes["about"] = [a for a in item.about if a in visible]
    copy = item.model_copy(update=changes)
    copy._src = item._src
    if isinstance(item, Document):
        copy._body, copy._body_line = item._body, item._body_line
    return copy


def project(plan: Plan, edition: Edition | str) -> Plan:
    """The plan as the given edition may show it."""
    name = edition.name if isinstance(edition, Edition) else edition
    if name == "staff":
        return plan
    if name != "public":
        raise ValueError(name)
    # An item whose parent is staff-only is hidden too (an action under a staff-only commitment).
    visible = {i.id for i in plan.items() if i.effective_audience is Audience.public}
    themes = {t.id for t in plan.themes if t.id in visible}
    visible -= {c.id for c in plan.commitments if c.theme not in themes}
    visible -= {a.id for a in plan.actions if a.commitment not in visible}
    sections = {}
    for name in ("roles", "themes", "commitments", "actions", "sources", "recommendations", "measures",
                 "risks", "gradings", "findings", "documents"):
        sections[name] = [_public_copy(i, visible) for i in getattr(plan, name) if i.id in visible]
    info = plan.info.model_copy(deep=True) if plan.info else None
    if info is not None:  # staff-only partners and key dates are not in the public plan at all
        info.oversight = [o for o in info.oversight if o.is_public]
        info.timeline = [k for k in info.timeline if k.is_public]
    derived = {r.id: (plan.derived_status(r), len(acts)) for r in plan.recommendations
               if (acts := plan.answering_actions(r))}
    return Plan(info=info, info_src=plan.info_src, answers_given_in_full=plan.answers_given, derived_in_full=derived,
                **sections)
