"""A build's records (pages.json and build.json): typed in code, unchanged on disk."""

import json

import pytest

from indexer import NoIndex, SearchEngine, store
from indexer.records import Manifest


def test_the_manifest_reads_and_writes_the_same_json(sample_index):
    build = store.current_build(sample_index)
    on_disk = json.loads((build.path / store.MANIFEST).read_text(encoding="utf-8"))
    manifest = build.manifest()
    assert manifest.to_json() == on_disk
    assert list(manifest.pages) == list(on_disk)
    assert manifest.counts() == build.info.counts
    assert manifest.theme_labels() == build.info.theme_labels


def test_build_info_reads_and_writes_the_same_json(sample_index):
    build = store.current_build(sample_index)
    on_disk = json.loads((build.path / store.BUILD_INFO).read_text(encoding="utf-8"))
    assert build.info.to_json() == on_disk
    assert list(build.info.to_json()) == list(on_disk)


def copy_with_build_json(sample_index, ix, info) -> None:
    """Make ix a copy of the sample index whose build.json holds ``info``."""
    build = store.current_build(sample_index)
    (ix / "builds" / build.id).mkdir(parents=True)
    store.copy_index(build, ix / "builds" / build.id)
    store.write_json(ix / "builds" / build.id / store.BUILD_INFO, info)
    store.switch_to(ix, ix / "builds" / build.id)


def test_an_index_of_the_first_version_still_opens(sample_index, tmp_path):
    """The first builds wrote no mode or run id, and a copy of the report that is no longer written."""
    info = store.current_build(sample_index).info.to_json()
    del info["mode"], info["run_id"]
    info["report"] = {"indexed": 9}
    copy_with_build_json(sample_index, tmp_path / "ix", info)
    old = store.current_build(tmp_path / "ix").info
    assert (old.mode, old.run_id, old.analyzer) == ("full", "", info["analyzer"])
    # Unknown keys survive a rewrite.
    assert old.to_json() == info | {"mode": "full", "run_id": ""}
    assert SearchEngine(tmp_path / "ix").health().built == info["built"]


def test_a_build_json_that_is_no_object_means_no_index(sample_index, tmp_path):
    copy_with_build_json(sample_index, tmp_path / "ix", [])
    with pytest.raises(NoIndex):
        SearchEngine(tmp_path / "ix").state()


def test_an_empty_manifest_is_falsy_and_has_no_counts():
    assert not Manifest()
    assert Manifest().counts() == {"type": {}, "sector": {}, "thema": {}, "bewijskracht": {}}
