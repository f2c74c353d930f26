"""``python -m analysis draft`` run unattended: it never writes onto its input, refuses
a FIFO before opening it, and writes drafts a spreadsheet cannot execute."""

from __future__ import annotations

import os

from ._cli import assert_clean_exit, assert_one_line_error, digest, invoke
from ._hostile import executable_cells

REPORT = (
    "KABUL, March 3 (Test Wire) - A suicide bomber killed 12 people and wounded 30 at a "
    "mosque in Kabul on Friday, officials said. Islamic State claimed the attack.\n"
)


def test_draft_onto_its_own_input_is_refused_and_the_input_kept(tmp_path):
    news = tmp_path / "news.txt"
    news.write_text(REPORT)
    as_csv = tmp_path / "news.csv"
    as_csv.write_text(REPORT)
    before = digest(news), digest(as_csv)
    assert_one_line_error(invoke("draft", news, "-o", news))
    assert_one_line_error(invoke("draft", as_csv, "-o", as_csv), "is the input file")
    link = tmp_path / "link.csv"
    link.symlink_to(as_csv)
    assert_one_line_error(invoke("draft", as_csv, "-o", link), "is the input file")
    assert (digest(news), digest(as_csv)) == before


def test_a_fifo_is_refused_before_it_is_opened(tmp_path):
    fifo = tmp_path / "wire.txt"
    os.mkfifo(fifo)
    assert_one_line_error(invoke("draft", fifo, "-o", tmp_path / "d.csv"), "FIFO")
    assert_one_line_error(invoke("draft", tmp_path / "news.txt", "-o", tmp_path), "not a regular file")


def test_drafts_cannot_execute_in_a_spreadsheet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the file name is written as given, into source_file
    hostile = tmp_path / '=HYPERLINK("http:x",1).txt'
    hostile.write_text("-" + REPORT + "@SUM(1) =cmd\n")
    out = tmp_path / "drafts.csv"
    r = invoke("draft", hostile.name, "-o", out)
    assert_clean_exit(r)
    assert r.exit_code == 0
    text = out.read_text()
    assert "'=HYPERLINK" in text  # escaped, not dropped
    assert executable_cells(out) == []
