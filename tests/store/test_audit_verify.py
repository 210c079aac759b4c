"""`gridcall audit verify` against an insider: each kind of tampering the issue names, made
with raw writes to the store after a digest was signed, is caught with its own words and exit
1, on both stores; an unusable digest is exit 2; an honest store is exit 0."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from console.db import Store
from console.domain.actions import Action
from console.domain.sla import SlaClock
from console.models import Case
from console.services.cases import act
from tests.conftest import ANCHOR, StoreFactory
from tests.services.helpers import cast, new_case
from tests.store.identity import Ran, gridcall_here
from tests.store.tamper import append_forged, forge, relink

LATER = ANCHOR + timedelta(days=1)


def cells_apart(table: str, cells: int | None = None) -> str:
    """The pattern of verify's line on the figure cells of `table` apart from the cases
    (`cells` of them, when given), whatever their first day and community."""
    said = re.escape(f"Figure cells of {table} that differ from a fresh sum of the cases: ")
    counted = str(cells) if cells is not None else r"[\d,]+"
    return said + counted + r", the first on \d{4}-\d\d-\d\d in \S+; the figures of those days.*"


class Audit:
    """One store, its signing key and digest directory, and the audit commands on them."""

    def __init__(self, store: Store, home: Path) -> None:
        self.store = store
        self.state = home / "state"
        self.digests = home / "digests"

    def __call__(self, *args: str) -> Ran:
        return gridcall_here("audit", *args, "--db", self.store.url, state=self.state)

    def digest(self) -> None:
        ran = self("digest", "--dir", str(self.digests))
        assert ran.code == 0, ran.err

    def verify(self, *args: str) -> Ran:
        return self("verify", "--digests", str(self.digests), *args)

    def broken(self) -> list[str]:
        """What verify says, once it has said the trail is broken (exit 1)."""
        ran = self.verify()
        assert ran.code == 1, (ran.out, ran.err)
        return ran.err.strip().splitlines()


@pytest.fixture
def audit(stores: StoreFactory, tmp_path: Path) -> Audit:
    return _audited(stores, tmp_path)


def _audited(stores: StoreFactory, tmp_path: Path) -> Audit:
    """A seeded store whose key was made and whose head was signed, with actions after the
    digest, as on a working day."""
    store = stores.seeded(cases=40)
    audit = Audit(store, tmp_path)
    keygen = gridcall_here("audit", "keygen", state=audit.state)
    assert keygen.code == 0, keygen.err
    audit.digest()
    c = cast(store)
    d = new_case(store, c, now=LATER)
    act(store, SlaClock(), c.operator, d.code, Action.ACCEPT, now=LATER + timedelta(minutes=5))
    assert audit.verify().code == 0
    return audit


def _event_of(store: Store, action: str) -> tuple[int, str]:
    """The first event of this action in the trail, and its case's code."""
    with store.read() as s:
        seq, code = s.execute(
            text(
                "SELECT e.seq, c.code FROM audit_events e JOIN cases c ON c.id = e.case_id "
                "WHERE e.action = :a ORDER BY e.seq LIMIT 1"
            ),
            {"a": action},
        ).one()
    return int(seq), str(code)


def _signed(audit: Audit) -> tuple[int, str]:
    """The event the first digest signed, and when it was signed as findings show it."""
    digest = json.loads((audit.digests / "digest-000001.json").read_text())
    at = datetime.fromisoformat(digest["at"]).astimezone(UTC)
    return int(digest["seq"]), at.strftime("%Y-%m-%d %H:%M UTC")


def test_an_honest_store_verifies_with_exit_0(audit: Audit) -> None:
    ran = audit.verify()
    assert ran.code == 0, ran.err
    lines = ran.out.strip().splitlines()
    assert (
        lines[0].startswith("Audit trail intact: ") and "cases agree with their events" in lines[0]
    )
    assert lines[1].startswith("It matches 1 signed digests, the last signed at ")


def test_an_edited_field(audit: Audit) -> None:
    seq, _ = _event_of(audit.store, "sign")
    forge(audit.store, "UPDATE audit_events SET actor = 'op.nobody' WHERE seq = :s", s=seq)
    assert audit.broken()[0] == (
        f"Audit trail broken: event {seq} does not match its hash: a field was changed after "
        "it was written"
    )


def test_a_deleted_event(audit: Audit) -> None:
    seq, code = _event_of(audit.store, "accept")
    forge(audit.store, "DELETE FROM audit_events WHERE seq = :s", s=seq)
    said = audit.broken()
    assert said[0] == (
        f"Audit trail broken: event {seq} is missing: the trail jumps to event {seq + 1} (an "
        "event was dropped)"
    )
    # Its case lost a step of its trail: the replay cannot rebuild it either.
    assert any(line.startswith(f"  case {code}") for line in said), said


def test_a_relinked_chain(audit: Audit) -> None:
    seq, _ = _event_of(audit.store, "handled")
    forge(audit.store, "UPDATE audit_events SET reason = 'nothing to see' WHERE seq = :s", s=seq)
    relink(audit.store)
    signed, at = _signed(audit)
    # Without the digests nothing tells the forged chain from an honest one.
    assert audit("verify").code == 0
    assert audit.broken()[0] == (
        f"Audit trail broken: event {signed} is as digest-000001.json signed it at {at}, but "
        f"its link is not: an event between events 1 and {signed} was changed and the chain "
        "re-linked"
    )


def test_a_dropped_event_before_the_last_digest(audit: Audit) -> None:
    seq, _ = _event_of(audit.store, "accept")
    forge(
        audit.store,
        "DELETE FROM audit_events WHERE seq = :s",
        # renumbered in two steps: PostgreSQL checks the unique seq row by row
        "UPDATE audit_events SET seq = -seq WHERE seq > :s",
        "UPDATE audit_events SET seq = -seq - 1 WHERE seq < 0",
        s=seq,
    )
    relink(audit.store)
    signed, at = _signed(audit)
    assert audit.broken()[0] == (
        f"Audit trail broken: 1 event(s) between events 1 and {signed} were dropped after "
        f"digest-000001.json signed them at {at}, and the chain re-linked: event {signed} now "
        f"stands at {signed - 1}"
    )


def test_a_truncated_tail(audit: Audit) -> None:
    signed, at = _signed(audit)
    keep = signed - 3
    forge(audit.store, "DELETE FROM audit_events WHERE seq > :k", k=keep)
    relink(audit.store)
    assert audit.broken()[0] == (
        f"Audit trail broken: the trail ends at event {keep}, but digest-000001.json signed "
        f"event {signed} at {at}: the tail after event {keep} was cut off"
    )


def test_a_case_edited_without_its_event(audit: Audit) -> None:
    with audit.store.read() as s:
        code = s.execute(text("SELECT min(code) FROM cases WHERE status = 'closed'")).scalar()
    forge(audit.store, "UPDATE cases SET status = 'in_progress' WHERE code = :c", c=code)
    said = audit.broken()
    # The chain itself holds: the case alone is apart from its trail.
    assert said[0] == "Cases that differ from their trail: 1"
    assert said[1].startswith(
        f"  case {code} differs from its trail (stored ≠ replayed): status in_progress ≠ closed"
    ), said


def test_a_nudged_overall_deadline(audit: Audit) -> None:
    """The overall deadline 办结时限 is the trail's too: a day granted by hand is found."""
    open_ = Case.status == "in_progress"
    with audit.store.read() as s:
        code, due = s.execute(
            select(Case.code, Case.due_at).where(open_).order_by(Case.code)
        ).first()  # type: ignore[misc]
    assert due is not None
    audit.store.write(
        lambda s: s.execute(
            update(Case).where(Case.code == code).values(due_at=due + timedelta(days=1))
        )
    )
    said = audit.broken()
    assert said[0] == "Cases that differ from their trail: 1"
    assert said[1].startswith(f"  case {code} differs from its trail (stored ≠ replayed): due_at ")
    assert len(said) == 2, said  # the figures do not count the overall deadline


def test_an_event_the_table_forbids(audit: Audit) -> None:
    store = audit.store
    c = cast(store)
    d = new_case(store, c, now=LATER, title="插入测试")
    # A properly chained event that closes a case nobody accepted, and the case closed to
    # match, version and all: only the transition table can tell.
    seq = append_forged(
        store, d.row.id, c.operator, "verify", "reported", "closed", LATER + timedelta(hours=1)
    )
    forge(
        store,
        "UPDATE cases SET status = 'closed', version = version + 1 WHERE code = :c",
        c=d.code,
    )
    said = audit.broken()
    assert said[:2] == [
        "Cases that differ from their trail: 1",
        f"  case {d.code}: event {seq} (verify) is one the transition table refuses: {d.code} "
        "is reported: cannot verify",
    ]
    # The case closed behind the figures' back: its cell still counts it open.
    assert len(said) == 3 and re.fullmatch(cells_apart("figure_cells", 1), said[2])


def test_the_report_holds_the_first_broken_link_and_every_case(
    audit: Audit, tmp_path: Path
) -> None:
    seq, _ = _event_of(audit.store, "sign")
    forge(audit.store, "UPDATE audit_events SET reason = 'x' WHERE seq = :s", s=seq)
    forge(audit.store, "UPDATE cases SET rework_count = rework_count + 7")
    report = tmp_path / "night.txt"
    ran = audit.verify("--report", str(report))
    assert ran.code == 1
    lines = report.read_text().splitlines()
    assert lines[0].startswith(f"gridcall audit verify: {audit.store.describe()}, ")
    assert lines[1] == (
        f"event {seq} does not match its hash: a field was changed after it was written"
    )
    with audit.store.read() as s:
        cases = s.execute(text("SELECT count(*) FROM cases")).scalar_one()
    apart = [line for line in lines if line.startswith("case ")]
    assert len(apart) == cases, "every case, not only those the terminal shows"
    assert all("rework_count" in line for line in apart)
    said = ran.err.splitlines()
    assert said[-3] == f"… and {cases - 20} more (--report FILE lists every one)"
    assert re.fullmatch(cells_apart("figure_cells"), said[-2])
    assert said[-1] == f"Report written to {report}"


def test_a_forged_digest_is_unusable_exit_2(audit: Audit) -> None:
    signed = audit.digests / "digest-000001.json"
    signed.chmod(0o644)
    signed.write_text(signed.read_text().replace('"seq": ', '"seq": 1'))
    ran = audit.verify()
    assert ran.code == 2
    assert ran.err.strip() == (
        "digest digest-000001.json does not match its signature: it was changed after it was signed"
    )


def test_digests_signed_by_another_key_are_unusable(audit: Audit, tmp_path: Path) -> None:
    other = tmp_path / "other.key"
    assert gridcall_here("audit", "keygen", "--key", str(other), state=audit.state).code == 0
    ran = audit.verify("--public-key", f"{other}.pub")
    assert ran.code == 2
    assert ran.err.startswith("digest digest-000001.json was signed by key SHA256:")


def test_a_digest_refuses_to_vouch_for_a_broken_chain(audit: Audit) -> None:
    seq, _ = _event_of(audit.store, "sign")
    forge(audit.store, "UPDATE audit_events SET actor = 'op.nobody' WHERE seq = :s", s=seq)
    relink(audit.store)
    ran = audit("digest", "--dir", str(audit.digests))
    assert ran.code == 1
    assert ran.err.startswith("Nothing signed: event ")
    assert sorted(p.name for p in audit.digests.iterdir()) == ["digest-000001.json"]


@pytest.mark.parametrize(
    "make",
    [
        ["openssl", "genpkey", "-algorithm", "ed25519", "-out", "{key}"],
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "{key}"],
    ],
    ids=["openssl", "ssh-keygen"],
)
def test_keys_made_by_openssl_or_ssh_keygen_sign_and_verify(
    audit: Audit, tmp_path: Path, make: list[str]
) -> None:
    if shutil.which(make[0]) is None:
        pytest.skip(f"no {make[0]} on this machine")
    key = tmp_path / "made.key"
    subprocess.run([part.format(key=key) for part in make], check=True)
    if make[0] == "openssl":
        public = subprocess.run(
            ["openssl", "pkey", "-in", str(key), "-pubout"], check=True, capture_output=True
        ).stdout
        (tmp_path / "made.key.pub").write_bytes(public)
    key.chmod(0o600)
    other = tmp_path / "other-digests"
    ran = audit("digest", "--dir", str(other), "--key", str(key))
    assert ran.code == 0, ran.err
    ran = audit("verify", "--digests", str(other), "--public-key", f"{key}.pub")
    assert ran.code == 0, ran.err


def test_a_signing_key_others_may_read_is_refused(audit: Audit) -> None:
    key = audit.state / "audit-digest.key"
    key.chmod(0o644)
    ran = audit("digest", "--dir", str(audit.digests))
    assert ran.code == 2
    assert (
        ran.err.strip()
        == f"{key} may be read by others: chmod 600 it (a signing key is its owner's alone)"
    )
    assert gridcall_here("audit", "keygen", state=audit.state).code == 2  # never replaced


def test_an_instant_spelt_otherwise_is_the_same_instant(tmp_path: Path) -> None:
    """A tool that rewrote SQLite's timestamp text (ISO's T for the space) changed no event
    (PostgreSQL keeps instants, not their spelling)."""
    stores = StoreFactory("sqlite", tmp_path)
    audit = _audited(stores, tmp_path)
    forge(audit.store, "UPDATE audit_events SET at = replace(at, ' ', 'T') WHERE seq <= 50")
    ran = audit.verify()
    stores.close()
    assert ran.code == 0, ran.err


def test_a_case_deleted_from_under_its_events(audit: Audit, tmp_path: Path) -> None:
    with audit.store.read() as s:
        case_id, seq = s.execute(
            text(
                "SELECT case_id, min(seq) FROM audit_events WHERE case_id IN "
                "(SELECT id FROM cases WHERE status = 'closed') AND case_id NOT IN "
                "(SELECT duplicate_of_id FROM cases WHERE duplicate_of_id IS NOT NULL) "
                "GROUP BY case_id ORDER BY case_id LIMIT 1"
            )
        ).one()
    if audit.store.is_sqlite:  # the sqlite3 shell checks no foreign key unless told to
        path = audit.store.engine.url.database
        assert path is not None
        shell = sqlite3.connect(path)
        shell.execute("DELETE FROM cases WHERE id = ?", (case_id,))
        shell.commit()
        shell.close()
    else:  # the owner drops the key that stood in the way
        with audit.store.read() as s:
            key = s.execute(
                text(
                    "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_events'::regclass "
                    "AND contype = 'f'"
                )
            ).scalar_one()
        forge(
            audit.store,
            f"ALTER TABLE audit_events DROP CONSTRAINT {key}",
            "DELETE FROM cases WHERE id = :i",
            i=case_id,
        )
    said = audit.broken()
    assert said[:2] == [
        "Cases that differ from their trail: 1",
        f"  events of case #{case_id} (from event {seq}) have no case: the case was deleted",
    ]
    # The case closed, and its cells count it still: reported, and closed on its day.
    assert len(said) == 4
    assert re.fullmatch(cells_apart("figure_cells", 1), said[2])
    assert re.fullmatch(cells_apart("closed_cells", 1), said[3])
