import pytest

from gaizao.planning.need import TERMS, need_score, need_terms


def terms(**overrides):
    values = {"year_built": 1981, "problems": ["leaking_roof", "refuse"], "households": 150, "elderly_share": 40,
              "resident_support": None, "is_demonstration": False, "as_of_year": 2021}
    values.update(overrides)
    return need_terms(**values)


def test_each_term_is_between_zero_and_one_and_support_is_neutral_when_unknown():
    found = terms()
    assert set(found) == set(TERMS)
    assert all(0 <= v <= 1 for v in found.values())
    assert found["age"] == 1.0 and found["support"] == 0.5 and found["households"] == 0.5


def test_contributions_add_up_to_the_score():
    score = need_score(terms(), {"age": 30, "problems": 20, "households": 15, "elderly": 15, "support": 10,
                                 "demonstration": 10})
    assert score.score == pytest.approx(sum(score.contributions.values()))
    assert 0 <= score.score <= 100


def test_older_and_needier_communities_score_higher():
    weights = {"age": 1, "problems": 1, "households": 1, "elderly": 1, "support": 0, "demonstration": 0}
    old = need_score(terms(year_built=1978), weights).score
    newer = need_score(terms(year_built=1998, problems=[]), weights).score
    assert old > newer


def test_a_zero_weight_removes_a_term():
    score = need_score(terms(is_demonstration=True), {"demonstration": 0, "age": 1})
    assert score.contributions["demonstration"] == 0
