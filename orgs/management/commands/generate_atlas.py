"""Fill the database with a large synthetic atlas, for benchmarks and query-count tests.

    python manage.py generate_atlas --scale 1 --seed 1

At scale 1: every ISO 3166-1 country (existing rows are reused), 600 organizations (some
formats or bodies of a parent, some with organizations as members), 60,000 membership spells
(chains such as dialogue partner → observer → member, some exits, mixed date precisions),
10,000 applications, 20,000 sources, 2,000 people, 30,000 quotes, and a citation on every
organization, spell, application and quote. Fractions such as 0.01 make small sets for tests.

Rows are written in batches of 2,000 with COPY on PostgreSQL and ``executemany`` elsewhere
(see ``RowWriter``), which runs neither ``clean()`` nor ``save()``, so everything is valid by
construction: each member has one chain of consecutive spells per organization (so spells never
overlap), every end is after its start, every spell has exactly one member. Memory stays flat at
any scale; no history rows are written. The same ``--seed`` gives the same rows: each phase draws
from its own ``random.Random`` and every timestamp is fixed. Organization ``org-00001`` is the
largest, with nearly every country as a member, so benchmarks and tests can rely on it.

Publishers, people and quotes are fictional; every URL is on example.org.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import math
import random
import time
from typing import Any

import pycountry
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from orgs.dates import Precision, truncate
from orgs.models import (
    Application,
    Citation,
    Country,
    Membership,
    Organization,
    Person,
    Quote,
    Source,
    Status,
)

# Rows at scale 1. Countries are not scaled: there is one ISO list.
from orgs.seed.synthetic import (
    ALWAYS_PUBLISHED,
    BATCH_SIZE,
    CHAINS,
    CITIES,
    CREATED_AT,
    DISPUTED_RATE,
    DRAFT_RATE,
    END_PRECISIONS,
    EXIT_RATE,
    FAMILY_NAMES,
    FORMS,
    FOUNDER_CHAINS,
    GIVEN_NAMES,
    HORIZON,
    MAX_CHAIN,
    MIN_SPELL,
    PLAN,
    PREFIXES,
    PUBLISHERS,
    ROLES,
    START_PRECISIONS,
    TOPICS,
)
from orgs.services.member_counts import refresh_member_counts


def plan(scale: float) -> dict[str, int]:
    """How many rows of each kind ``--scale`` makes (countries excepted)."""
    return {name: max(1, round(count * scale)) for name, count in PLAN.items()}


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _precision(rng: random.Random, choices) -> str:
    values, weights = choices
    return rng.choices(values, weights)[0]


def _partial(rng: random.Random, day: datetime.date, choices=END_PRECISIONS):
    """``day`` stored at a random precision: (earliest day, precision)."""
    precision = _precision(rng, choices)
    return truncate(day, precision), precision


def _published(rng: random.Random) -> bool:
    return rng.random() >= DRAFT_RATE


def _acronym(name: str) -> str:
    small = {"for", "on", "of", "the"}
    return "".join(word[0] for word in name.replace("-", " ").split() if word not in small).upper()


def _spell_budgets(total: int, capacities: list[int]) -> list[int]:
    """Split ``total`` spells over organizations, the first largest, none above its capacity.

    Sizes fall off as 1/rank; water-filling from the largest hands what a full organization
    cannot take to the ones after it.
    """
    weights = [1 / (rank + 1) for rank in range(len(capacities))]
    remaining_weight, remaining = sum(weights), total
    budgets = []
    for weight, capacity in zip(weights, capacities, strict=True):
        share = min(capacity, remaining, math.ceil(remaining * weight / remaining_weight))
        budgets.append(share)
        remaining -= share
        remaining_weight -= weight
    if remaining:
        raise CommandError("Too many spells for the organizations: raise the organization count.")
    return budgets


class RowWriter:
    """Inserts rows given as ``{attname: value}`` dicts with ``executemany``, numbering their ids.

    ``bulk_create`` spends most of its time building a model instance and preparing each of its
    values (about 0.4 ms a spell on SQLite, so minutes at scale 1); plain tuples are several
    times faster. Like ``bulk_create`` it runs neither ``save()`` nor ``clean()`` and writes no
    history. Ids continue from the table's largest; sequences are reset when all is written.
    """

    def __init__(self, model):
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.defaults = {field.attname: field.get_default() for field in fields}
        # A few thousand distinct days at most: adapt each once.
        self.adapters = [
            functools.cache(connection.ops.adapt_datetimefield_value)
            if isinstance(field, models.DateTimeField)
            else functools.cache(connection.ops.adapt_datefield_value)
            if isinstance(field, models.DateField)
            else None
            for field in fields
        ]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in fields)
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            table, columns, ", ".join(["%s"] * len(fields))
        )
        # PostgreSQL loads rows with COPY: several times faster than even executemany, which
        # matters at --scale 10 (600,000 spells and as many citations).
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN" if self.copies else None
        last = model._base_manager.aggregate(last=Max("pk"))["last"] or 0
        self.ids = itertools.count(last + 1)

    @property
    def copies(self) -> bool:
        return connection.vendor == "postgresql"

    def next_id(self) -> int:
        return next(self.ids)

    def write(self, rows: list[dict]):
        if not rows:
            return
        params = []
        for row in rows:
            if "id" not in row:
                row["id"] = next(self.ids)
            values = [row.get(attname, self.defaults[attname]) for attname in self.attnames]
            if self.copy_sql:  # psycopg adapts dates, times and booleans for COPY itself
                params.append(values)
                continue
            params.append(
                [
                    adapt(value) if adapt is not None and value is not None else value
                    for adapt, value in zip(self.adapters, values, strict=True)
                ]
            )
        with connection.cursor() as cursor:
            if self.copy_sql:
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)


class Progress:
    """A one-line text bar on stderr, redrawn after each batch."""

    WIDTH = 30

    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total, self.done = out, label, total, 0
        self.started = time.monotonic()
        self.draw()

    def advance(self, count: int):
        self.done += count
        self.draw()

    def draw(self):
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self._write(f"\r{self.label:<14} [{bar}] {self.done:>7,}/{self.total:,}")

    def finish(self) -> float:
        seconds = time.monotonic() - self.started
        self._write(f"  {seconds:.1f} s\n")
        return seconds

    def _write(self, text: str):
        self.out.write(text, style_func=lambda message: message, ending="")
        self.out.flush()


class Command(BaseCommand):
    help = "Fill the database with a large synthetic atlas (for benchmarks and tests)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 makes 600 organizations and 60,000 spells; 0.01 makes 6 and 600.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same rows.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the synthetic atlas even though the database holds curated data.",
        )

    def handle(self, *args, scale: float, seed: int, force: bool, **options):
        if not scale > 0:
            raise CommandError("--scale must be a positive number, for example 1 or 0.05.")
        if Organization.objects.filter(slug="org-00001").exists():
            raise CommandError(
                "This database already holds a generated atlas (org-00001 exists). "
                "Generate into an empty database: `manage.py flush`, or a new database."
            )
        organizations, spells = Organization.objects.count(), Membership.objects.count()
        if (organizations or spells) and not force:
            raise CommandError(
                f"This database holds curated data ({organizations} organizations, {spells} "
                "membership spells). generate_atlas is meant for an empty database; run it "
                "with --force to add a synthetic atlas beside the curated records."
            )
        counts = plan(scale)
        self.seed = seed
        self.writers: dict[type[models.Model], RowWriter] = {}
        started = time.monotonic()
        with transaction.atomic():
            self.countries = self.create_countries()
            self.create_sources(counts["sources"])
            self.create_people(counts["people"])
            self.create_organizations(counts["organizations"])
            self.create_memberships(counts["memberships"])
            self.create_applications(counts["applications"])
            self.create_quotes(counts["quotes"])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.writers)):
                    cursor.execute(sql)
        # The rows were written without saving each spell: count the members once, at the end.
        refresh_member_counts()
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(
            f"Generated {summary} and their citations (scale {scale:g}, seed {seed}) "
            f"in {time.monotonic() - started:.1f} s."
        )

    # --- helpers ------------------------------------------------------------------------------

    def rng(self, phase: str) -> random.Random:
        """One generator per phase: a phase's rows do not depend on another phase's size."""
        return random.Random(f"{self.seed}:{phase}")

    def writer(self, model) -> RowWriter:
        if model not in self.writers:
            self.writers[model] = RowWriter(model)
        return self.writers[model]

    def insert(self, model, rows, total: int, label: str, after_batch=None):
        """Write ``rows`` (dicts, any iterable) in batches; ``after_batch`` gets each written batch."""
        writer, progress = self.writer(model), Progress(self.stderr, label, total)
        rows = iter(rows)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            writer.write(batch)
            if after_batch is not None:
                after_batch(batch)
            progress.advance(len(batch))
        progress.finish()

    def cite(self, rng: random.Random, model, claims: list[dict], note: str):
        """One citation for each of ``claims`` (written, so they have their ids)."""
        content_type_id = ContentType.objects.get_for_model(model).pk
        self.writer(Citation).write(
            [
                {
                    "content_type_id": content_type_id,
                    "object_id": claim["id"],
                    "source_id": rng.choice(self.source_ids),
                    "excerpt": f"Synthetic excerpt supporting {note} #{claim['id']}.",
                    "locator": f"para. {rng.randint(1, 40)}",
                }
                for claim in claims
            ]
        )

    def stamps(self, rng: random.Random) -> dict:
        disputed = rng.random() < DISPUTED_RATE
        return {
            "is_published": _published(rng),
            "is_disputed": disputed,
            "dispute_note": "Synthetic: sources disagree on the dates." if disputed else "",
            "created_at": CREATED_AT,
            "updated_at": CREATED_AT,
        }

    # --- phases -------------------------------------------------------------------------------

    def create_countries(self) -> list[int]:
        """Every ISO country, reusing existing rows: their ids, in alpha-2 order."""
        existing = set(Country.objects.values_list("iso2", flat=True))
        missing = [
            {
                "name": getattr(country, "common_name", country.name),
                "official_name": getattr(country, "official_name", ""),
                "iso2": country.alpha_2,
                "iso3": country.alpha_3,
                "is_published": True,
                "created_at": CREATED_AT,
                "updated_at": CREATED_AT,
            }
            for country in pycountry.countries
            if country.alpha_2 not in existing
        ]
        self.insert(Country, missing, len(missing), "countries")
        return list(Country.objects.order_by("iso2").values_list("pk", flat=True))

    def create_sources(self, total: int):
        rng = self.rng("sources")
        kinds = [choice.value for choice in Source.Kind]
        self.source_ids: list[int] = []

        def rows():
            for number in range(1, total + 1):
                prefix, topic, city = rng.choice(PREFIXES), rng.choice(TOPICS), rng.choice(CITIES)
                published_on, precision = _partial(
                    rng, _day_between(rng, datetime.date(1990, 1, 1), HORIZON)
                )
                yield {
                    "key": f"SYN-{number:06d}",
                    "kind": rng.choices(kinds, [50, 15, 10, 10, 5, 5, 5])[0],
                    "title": f"{prefix[0]} {topic[0].lower()} talks in {city}",
                    "publisher": rng.choice(PUBLISHERS),
                    "url": f"https://news.example.org/{number:06d}",
                    "published_on": published_on,
                    "published_on_precision": precision,
                    "retrieved_on": datetime.date(2026, 1, 1),
                    "language": rng.choice(["en", "ru", "ru", "zh", "kk"]),
                    **self.stamps(rng),
                }

        def remember(batch):  # cited by everything that follows: 20,000 integers at scale 1
            self.source_ids.extend(row["id"] for row in batch)

        self.insert(Source, rows(), total, "sources", after_batch=remember)

    def create_people(self, total: int):
        rng = self.rng("people")
        self.person_ids: list[int] = []

        def rows():
            for number in range(1, total + 1):
                given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
                yield {
                    "name": f"{given[0]} {family[0]}",
                    "native_name": f"{given[1]} {family[1]}" if rng.random() < 0.6 else "",
                    "slug": f"person-{number:05d}",
                    "description": "A fictional person in the synthetic atlas.",
                    **self.stamps(rng),
                }

        def remember(batch):
            self.person_ids.extend(row["id"] for row in batch)

        self.insert(Person, rows(), total, "people", after_batch=remember)

    def create_organizations(self, total: int):
        rng = self.rng("organizations")
        writer = self.writer(Organization)
        names = list(itertools.product(PREFIXES, TOPICS, FORMS))
        rng.shuffle(names)
        organizations: list[dict[str, Any]] = []
        for index in range(total):
            (prefix, topic, form), cycle = names[index % len(names)], index // len(names)
            name = form[0].format(prefix=prefix[0], topic=topic[0])
            name_ru = form[1].format(prefix=prefix[1 + form[2]], topic=topic[1])
            if cycle:
                name, name_ru = f"{name} {cycle + 1}", f"{name_ru} {cycle + 1}"
            acronym = _acronym(name)
            kind = rng.choices(
                ["intergovernmental", "economic_union", "grouping", "initiative"], [60, 10, 20, 10]
            )[0]
            founded = _day_between(rng, datetime.date(1945, 1, 1), datetime.date(2015, 12, 31))
            parent = None
            if index % 10 == 5:  # one in ten is a format or body of an earlier organization
                parent = organizations[rng.randrange(index)]
                kind = rng.choice(["format", "body"])
                if kind == "format":
                    name, acronym = f"{parent['name']} Plus", f"{parent['acronym']}+"
                else:
                    name = f"Secretariat of the {parent['name']}"
                    acronym = f"{parent['acronym']} Sec."
                name_ru = ""
                founded = _day_between(rng, parent["founded_on"], datetime.date(2015, 12, 31))
            dissolved_on, dissolved_precision, lifecycle = None, Precision.DAY, "active"
            dissolvable = founded + datetime.timedelta(days=7_300) < HORIZON
            if index >= ALWAYS_PUBLISHED and dissolvable and rng.random() < 0.05:
                lifecycle = "dissolved"
                dissolved_on, dissolved_precision = _partial(
                    rng, _day_between(rng, founded + datetime.timedelta(days=7_300), HORIZON)
                )
            stamps = self.stamps(rng)
            if index < ALWAYS_PUBLISHED:
                stamps["is_published"] = True
            founded_on, founded_precision = _partial(rng, founded)
            organizations.append(
                {
                    "id": writer.next_id(),
                    "name": name,
                    "acronym": acronym,
                    "slug": f"org-{index + 1:05d}",
                    "other_names": f"{name_ru}\n{_acronym(name_ru)}"
                    if name_ru and index % 3
                    else "",
                    "kind": kind,
                    "lifecycle": lifecycle,
                    "parent_id": parent["id"] if parent else None,
                    "founded_on": founded_on,
                    "founded_on_precision": founded_precision,
                    "dissolved_on": dissolved_on,
                    "dissolved_on_precision": dissolved_precision,
                    "headquarters": rng.choice(CITIES),
                    "website": f"https://org-{index + 1:05d}.example.org/",
                    "description": f"A synthetic {kind.replace('_', ' ')} for "
                    f"{topic[0].lower()} cooperation.",
                    **stamps,
                }
            )
        rng_cite = self.rng("organization citations")
        self.insert(
            Organization,
            organizations,
            total,
            "organizations",
            after_batch=lambda batch: self.cite(rng_cite, Organization, batch, "organization"),
        )
        self.organizations = organizations
        # One in twelve has other organizations as members (the CIS in BRICS+).
        self.organization_members = {
            index: rng.sample(
                [other for other in range(total) if other != index],
                min(total - 1, rng.randint(1, 5)),
            )
            for index in range(1, total, 12)
        }

    def create_memberships(self, total: int):
        rng = self.rng("memberships")
        capacities = [
            3 * (len(self.countries) + len(self.organization_members.get(index, ())))
            for index in range(len(self.organizations))
        ]
        self.spell_budgets = _spell_budgets(total, capacities)
        rng_cite = self.rng("membership citations")
        self.insert(
            Membership,
            self._spells(rng),
            total,
            "memberships",
            after_batch=lambda batch: self.cite(rng_cite, Membership, batch, "spell"),
        )

    def _spells(self, rng: random.Random):
        for index, (organization, budget) in enumerate(
            zip(self.organizations, self.spell_budgets, strict=True)
        ):
            members = [("country", pk) for pk in self.countries]
            rng.shuffle(members)
            founders = rng.randint(3, 8)
            # Member organizations come right after the founding countries, so even a small
            # organization has them.
            members[founders:founders] = [
                ("organization", self.organizations[other]["id"])
                for other in self.organization_members.get(index, ())
            ]
            lengths = self._chain_lengths(rng, budget, len(members))
            for position, ((kind, member_id), length) in enumerate(
                zip(members, lengths, strict=False)
            ):
                yield from self._chain(
                    rng, organization, kind, member_id, length, founding=position < founders
                )

    def _chain_lengths(self, rng: random.Random, budget: int, pool: int) -> list[int]:
        """Spells per member, adding up to ``budget``: about 2.2 per member, at most 4."""
        count = min(pool, max(1, round(budget / 2.2)), budget)
        lengths = [1] * count
        extra = budget - count
        growable = list(range(count))
        while extra and growable:
            slot = rng.randrange(len(growable))
            member = growable[slot]
            lengths[member] += 1
            extra -= 1
            if lengths[member] == MAX_CHAIN:
                growable[slot] = growable[-1]
                growable.pop()
        return lengths

    def _chain(self, rng, organization, kind, member_id, length, *, founding: bool):
        """Consecutive spells of one member: each ends on the day (and precision) the next starts."""
        dissolved_on = organization["dissolved_on"]
        horizon = dissolved_on or HORIZON
        founded = organization["founded_on"]
        if founding:
            statuses = rng.choice(FOUNDER_CHAINS[length])
            start, start_precision = founded, organization["founded_on_precision"]
        else:
            statuses = rng.choice(CHAINS[length])
            latest_start = horizon - datetime.timedelta(days=MIN_SPELL * length + 31)
            start, start_precision = _partial(
                rng, _day_between(rng, founded, latest_start), START_PRECISIONS
            )
        member = {f"member_{kind}_id": member_id}
        for position, status in enumerate(statuses):
            last = position == length - 1
            # Leave room for the spells still to come, each at least MIN_SPELL days long.
            latest_end = horizon - datetime.timedelta(days=MIN_SPELL * (length - position - 1))
            end, end_precision = None, Precision.DAY
            if last and dissolved_on:
                end, end_precision = dissolved_on, organization["dissolved_on_precision"]
            elif not last or rng.random() < EXIT_RATE:
                longest = max(MIN_SPELL, min((latest_end - start).days, 5_000))
                day = start + datetime.timedelta(days=rng.randint(MIN_SPELL, longest))
                end, end_precision = _partial(rng, min(day, latest_end))
            yield {
                "organization_id": organization["id"],
                "status": status,
                "start": start,
                "start_precision": start_precision,
                "end": end,
                "end_precision": end_precision,
                "is_founding": founding and position == 0,
                **member,
                **self.stamps(rng),
            }
            start, start_precision = end, end_precision

    def create_applications(self, total: int):
        rng = self.rng("applications")
        organizations, weights = self.organizations, list(itertools.accumulate(self.spell_budgets))
        statuses = [Status.MEMBER, Status.OBSERVER, Status.DIALOGUE_PARTNER, Status.PARTNER]

        def rows():
            for _ in range(total):
                organization = rng.choices(organizations, cum_weights=weights)[0]
                applicant = {"applicant_country_id": rng.choice(self.countries)}
                if len(organizations) > 1 and rng.random() < 0.05:
                    other = rng.choice(organizations)
                    if other["id"] != organization["id"]:
                        applicant = {"applicant_organization_id": other["id"]}
                kind = rng.choices(["application", "invitation", "prospect"], [70, 20, 10])[0]
                filed_on, filed_precision = _partial(
                    rng, _day_between(rng, organization["founded_on"], HORIZON), START_PRECISIONS
                )
                outcome = rng.choices(
                    ["pending", "granted", "rejected", "withdrawn", "declined"],
                    [30, 40, 15, 10, 5 if kind == "invitation" else 0],
                )[0]
                decided_on, decided_precision = None, Precision.DAY
                if outcome != "pending":
                    day = min(HORIZON, filed_on + datetime.timedelta(days=rng.randint(30, 1_500)))
                    decided_on, decided_precision = _partial(rng, day)
                    if decided_on < filed_on:  # truncated back past the filing: keep the day
                        decided_on, decided_precision = day, Precision.DAY
                yield {
                    "organization_id": organization["id"],
                    "kind": kind,
                    "requested_status": rng.choice(statuses),
                    "filed_on": filed_on,
                    "filed_on_precision": filed_precision,
                    "decided_on": decided_on,
                    "decided_on_precision": decided_precision,
                    "outcome": outcome,
                    **applicant,
                    **self.stamps(rng),
                }

        rng_cite = self.rng("application citations")
        self.insert(
            Application,
            rows(),
            total,
            "applications",
            after_batch=lambda batch: self.cite(rng_cite, Application, batch, "application"),
        )

    def create_quotes(self, total: int):
        rng = self.rng("quotes")
        organizations, weights = self.organizations, list(itertools.accumulate(self.spell_budgets))
        about_organization = self.writer(Quote.about_organizations.through)
        about_country = self.writer(Quote.about_countries.through)
        about = {}  # quote id → (organization ids, country ids), one batch at a time

        def rows():
            for _ in range(total):
                picked = {o["id"]: o for o in rng.choices(organizations, cum_weights=weights, k=2)}
                organization = next(iter(picked.values()))
                topic = rng.choice(TOPICS)
                speaker, role = {"speaker_organization_id": organization["id"]}, ""
                if rng.random() < 0.8:
                    speaker, role = {"speaker_id": rng.choice(self.person_ids)}, rng.choice(ROLES)
                said_on, said_precision = _partial(
                    rng, _day_between(rng, datetime.date(1995, 1, 1), HORIZON)
                )
                original = rng.random() < 0.3
                quote = {
                    "id": self.writer(Quote).next_id(),
                    "text": f"{organization['acronym']} will deepen {topic[0].lower()} "
                    f"cooperation and welcomes new partners at the {rng.choice(CITIES)} meeting.",
                    "original_text": f"Мы углубим сотрудничество {topic[1]} направления."
                    if original
                    else "",
                    "original_language": "ru" if original else "",
                    "kind": rng.choice(["direct", "direct", "reported"]),
                    "speaker_role": role,
                    "said_on": said_on,
                    "said_on_precision": said_precision,
                    **speaker,
                    **self.stamps(rng),
                }
                about[quote["id"]] = (list(picked), rng.sample(self.countries, rng.randint(0, 2)))
                yield quote

        rng_cite = self.rng("quote citations")

        def after_batch(batch):
            about_organization.write(
                [
                    {"quote_id": quote["id"], "organization_id": organization_id}
                    for quote in batch
                    for organization_id in about[quote["id"]][0]
                ]
            )
            about_country.write(
                [
                    {"quote_id": quote["id"], "country_id": country_id}
                    for quote in batch
                    for country_id in about[quote["id"]][1]
                ]
            )
            for quote in batch:
                del about[quote["id"]]
            self.cite(rng_cite, Quote, batch, "quote")

        self.insert(Quote, rows(), total, "quotes", after_batch=after_batch)
