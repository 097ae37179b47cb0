"""News layout on raw text: headlines, bylines, dates, datelines, subheadings, paragraphs."""

from __future__ import annotations

from claimx.layout import is_title_case, layout_units


def sections(text: str) -> list[tuple[str, str]]:
    return [(unit.section, text[unit.start : unit.end]) for unit in layout_units(text)]


def test_headline_deck_byline_date_and_dateline_are_separate_units() -> None:
    text = (
        "Council Backs New Bridge Despite Cost Fears\n\n"
        "Supporters Say the Crossing Is Long Overdue\n\n"
        "By Ana Ruiz and Lee Park\n"
        "Published March 4, 2026\n\n"
        "DENVER, Colo. — The council voted 5-2 on Tuesday. Critics were not convinced.\n\n"
        "A Matter of Money\n\n"
        "The bridge will cost $40 million, officials said.\n"
    )
    assert sections(text) == [
        ("headline", "Council Backs New Bridge Despite Cost Fears"),
        ("subheadline", "Supporters Say the Crossing Is Long Overdue"),
        ("byline", "By Ana Ruiz and Lee Park"),
        ("date", "Published March 4, 2026"),
        ("dateline", "DENVER, Colo. —"),
        ("body", "The council voted 5-2 on Tuesday. Critics were not convinced."),
        ("subheading", "A Matter of Money"),
        ("body", "The bridge will cost $40 million, officials said."),
    ]


def test_wire_dateline_with_agency_is_split_from_the_first_sentence() -> None:
    text = "Talks Stall\n\nGENEVA, March 3 (Claimx Wire) — Negotiators ended talks on Tuesday.\n"
    assert sections(text)[1] == ("dateline", "GENEVA, March 3 (Claimx Wire) —")
    assert sections(text)[2] == ("body", "Negotiators ended talks on Tuesday.")


def test_plain_paragraph_without_headline_is_all_body() -> None:
    text = "The measure passed. It may ease pressure on small firms."
    assert sections(text) == [("body", text)]


def test_hard_wrapped_first_paragraph_is_not_mistaken_for_a_headline() -> None:
    text = (
        "The regional government said on Monday that it would review the\n"
        "contract, which critics say was awarded without a tender.\n\n"
        "The review may take months.\n"
    )
    assert [section for section, _ in sections(text)] == ["body", "body"]


def test_crlf_line_ends_keep_exact_offsets() -> None:
    text = "Storm Hits Coast\r\n\r\nThe storm hit the coast on Friday.\r\n"
    assert sections(text) == [("headline", "Storm Hits Coast"), ("body", "The storm hit the coast on Friday.")]


def test_title_case_detection() -> None:
    assert is_title_case("Iran Withdraws Troops from the Region Amid Pressure")
    assert not is_title_case("Iran withdraws troops from the region amid pressure")
