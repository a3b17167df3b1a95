"""Applying a cited update of the reference facts (``facts-2025h2.json``) to the base facts.

The update is a delta: new records for each list, then ``updates`` that set or extend fields of
existing records, each keeping the values it replaces under ``previous``. It is applied as its
``meta.how_to_apply`` says, and checked on the way: an id never comes twice, a replaced value is
the one the update says it replaces (so an update is never applied to facts it was not written
for), and every source, organization and country a record names exists.
"""

from __future__ import annotations

import copy

from orgs.seed.reference import ARTICLE_ID, SeedError

# The lists an update extends, as the base facts name them.
LISTS = ("sources", "countries", "organizations", "memberships", "agreements", "events", "disputes")

# Where a record lives in the merged facts, by the collection an update names.
KEYS = {"countries": "name"}


def apply_update(base: dict, update: dict) -> dict:
    """The base facts with ``update`` applied: its records appended, then its updates in order.

    Each record an update changes keeps, under ``_updates``, the ids of the updates and the
    sources they appended, so the builder can cite them for what changed. The base is not
    modified.
    """
    facts = copy.deepcopy(base)
    for name in LISTS:
        facts.setdefault(name, [])
        key = KEYS.get(name, "id")
        known = {record[key] for record in facts[name]}
        for record in update.get(name, []):
            if record[key] in known:
                raise SeedError(f"The update adds {name} {record[key]!r}, which already exists.")
            known.add(record[key])
            facts[name].append({**copy.deepcopy(record), "_from_update": True})
    for change in update.get("updates", []):
        _apply_change(facts, change)
    _check_references(facts)
    facts.setdefault("meta", {})["update"] = update.get("meta", {})
    return facts


def _apply_change(facts: dict, change: dict) -> None:
    collection = change["collection"]
    key = KEYS.get(collection, "id")
    targets = [
        record for record in facts.get(collection, []) if record.get(key) == change["target_id"]
    ]
    if len(targets) != 1:
        raise SeedError(f"Update {change['id']}: no single {collection} {change['target_id']!r}.")
    record = targets[0]
    previous = change.get("previous", {})
    for field, value in change.get("set", {}).items():
        if field in previous and record.get(field) != previous[field]:
            raise SeedError(
                f"Update {change['id']} replaces {collection} {change['target_id']}.{field} "
                f"= {previous[field]!r}, but the facts hold {record.get(field)!r}: it was written "
                "for other facts."
            )
        record[field] = copy.deepcopy(value)
    for field, values in change.get("append", {}).items():
        record.setdefault(field, [])
        record[field].extend(value for value in values if value not in record[field])
    trail = record.setdefault("_updates", [])
    trail.append(
        {
            "id": change["id"],
            "set": sorted(change.get("set", {})),
            "append": copy.deepcopy(change.get("append", {})),
            "confidence": change.get("confidence", ""),
        }
    )


def _check_references(facts: dict) -> None:
    sources = {source["id"] for source in facts["sources"]}
    organizations = {organization["id"] for organization in facts["organizations"]}
    countries = {country["name"] for country in facts["countries"]}

    def check_sources(owner: str, ids) -> None:
        for source_id in ids or []:
            if source_id not in sources and source_id != ARTICLE_ID:
                raise SeedError(f"{owner} cites the unknown source {source_id!r}.")

    for organization in facts["organizations"]:
        check_sources(organization["id"], organization.get("founded_source"))
        for stage in organization.get("lifecycle", []):
            check_sources(organization["id"], stage.get("source"))
        for link in ("predecessor", "successor"):
            if organization.get(link) and organization[link] not in organizations:
                raise SeedError(f"{organization['id']}: unknown {link} {organization[link]!r}.")
    for record in facts["memberships"]:
        check_sources(record["id"], record["source"])
        if record["organization"] not in organizations:
            raise SeedError(f"{record['id']}: unknown organization {record['organization']!r}.")
        known = organizations if record["member_kind"] == "organization" else countries
        if record["member"] not in known:
            raise SeedError(f"{record['id']}: unknown member {record['member']!r}.")
    for record in facts["agreements"]:
        check_sources(record["id"], record["source"])
        for stage in record.get("stages", []):
            check_sources(record["id"], stage.get("source"))
        for party in record["parties"]:
            if party not in organizations and party not in countries:
                raise SeedError(f"{record['id']}: unknown party {party!r}.")
    for record in facts["events"]:
        check_sources(record["id"], record["source"])
    for dispute in facts.get("disputes", []):
        for position in dispute.get("positions", []):
            check_sources(dispute["id"], position.get("source"))
