"""The comparison of two versions' eight parts (catalog.diff): pure, property-tested."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.catalog.diff import (
    PartSnapshot,
    PartStatus,
    RowStatus,
    apply_part,
    diff_part,
    diff_versions,
)

KEYS = ("name", "kind", "note", "file")
values = st.sampled_from(["", "居民身份证", "户口簿", "复印件", "原件", "a", "b"])
rows = st.lists(st.fixed_dictionaries({k: values for k in KEYS}), max_size=5)
# Generating the snapshots is slow on a busy machine, never flaky.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
fields = st.dictionaries(st.sampled_from(["name", "phone", "place", "image"]), values, max_size=4)


@st.composite
def parts(draw: st.DrawFn) -> PartSnapshot:
    return PartSnapshot(
        fields=draw(fields),
        rows=tuple(draw(rows)),
        key="name",
        files=frozenset({"file", "image"}),
        labels={"name": "名称"},
    )


def snapshots() -> st.SearchStrategy:
    return st.fixed_dictionaries({"basic": parts(), "materials": parts()})


def filled(values: dict[str, str]) -> dict[str, str]:
    """An empty value and an absent one read the same."""
    return {k: v for k, v in values.items() if v}


@relaxed
@given(snapshots())
def test_a_version_compared_with_itself_has_no_changes(snapshot):
    diff = diff_versions(snapshot, snapshot)
    assert diff.is_empty
    assert all(p.status == PartStatus.UNCHANGED for p in diff.parts)
    assert all(r.status == RowStatus.SAME for p in diff.parts for r in p.rows)


@relaxed
@given(parts(), parts())
def test_the_old_part_with_the_reported_changes_applied_is_the_new_part(old, new):
    part_diff = diff_part("materials", old, new)
    rebuilt_fields, rebuilt_rows = apply_part(old, part_diff)
    assert filled(rebuilt_fields) == filled(dict(new.fields))
    assert [filled(r) for r in rebuilt_rows] == [filled(dict(r)) for r in new.rows]


@relaxed
@given(parts(), parts())
def test_every_old_row_is_kept_changed_or_reported_removed_once(old, new):
    part_diff = diff_part("materials", old, new)
    used = sorted(r.old_index for r in part_diff.rows if r.old_index is not None)
    assert used == list(range(len(old.rows)))


@relaxed
@given(parts(), parts())
def test_a_part_is_unchanged_exactly_when_its_fields_and_rows_are_the_same(old, new):
    part_diff = diff_part("materials", old, new)
    same = filled(dict(old.fields)) == filled(dict(new.fields)) and list(old.rows) == list(new.rows)
    assert (part_diff.status == PartStatus.UNCHANGED) == same


@relaxed
@given(snapshots())
def test_a_new_item_shows_every_part_as_added_with_all_its_rows(snapshot):
    diff = diff_versions(None, snapshot)
    assert diff.is_new
    assert [p.status for p in diff.parts] == [PartStatus.ADDED] * 2
    for name, part_diff in zip(snapshot, diff.parts, strict=True):
        assert [r.status for r in part_diff.rows] == [RowStatus.ADDED] * len(snapshot[name].rows)


def test_a_changed_material_is_paired_by_its_name_and_shows_old_and_new():
    # given a material whose copy form changed, one removed and one added
    old = PartSnapshot(
        rows=(
            {"name": "居民身份证", "copy_form": "原件"},
            {"name": "户口簿", "copy_form": "原件"},
        ),
        key="name",
        labels={"copy_form": "原件或复印件"},
    )
    new = PartSnapshot(
        rows=(
            {"name": "结婚证", "copy_form": "原件"},
            {"name": "居民身份证", "copy_form": "复印件"},
        ),
        key="name",
        labels={"copy_form": "原件或复印件"},
    )
    # when compared
    part_diff = diff_part("materials", old, new)
    # then the reader sees one added, one changed with old and new, one removed
    assert part_diff.counts() == {"same": 0, "changed": 1, "added": 1, "removed": 1}
    (changed,) = [r for r in part_diff.rows if r.status == RowStatus.CHANGED]
    (change,) = changed.changes
    assert (change.label, change.old, change.new) == ("原件或复印件", "原件", "复印件")
    (removed,) = [r for r in part_diff.rows if r.status == RowStatus.REMOVED]
    assert removed.row["name"] == "户口簿"


def test_a_replaced_file_is_reported_as_a_file_not_by_its_stored_name():
    old = PartSnapshot(
        rows=({"name": "申请表", "file": "form-1.pdf"},), key="name", files=frozenset({"file"})
    )
    new = PartSnapshot(
        rows=({"name": "申请表", "file": "form-2.pdf"},), key="name", files=frozenset({"file"})
    )
    part_diff = diff_part("forms", old, new)
    assert part_diff.files_changed
    (change,) = part_diff.rows[0].changes
    assert (change.is_file, change.file_note) == (True, "replaced")


def test_rows_in_a_new_order_change_the_part():
    old = PartSnapshot(rows=({"name": "受理"}, {"name": "审核"}), key="name")
    new = PartSnapshot(rows=({"name": "审核"}, {"name": "受理"}), key="name")
    part_diff = diff_part("steps", old, new)
    assert part_diff.reordered
    assert part_diff.status == PartStatus.CHANGED
    assert not part_diff.row_changes
