"""Recipes: the default recipe round-trips, errors name the key and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tomllib
from click.testing import CliRunner

from cleanse import Pipeline
from cleanse.cli import main
from cleanse.recipe import RecipeError, load_recipe
from cleanse.stages import DEFAULT_ORDER

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _default_recipe() -> str:
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0, result.output
    return result.output


def test_default_recipe_is_valid_toml_naming_every_stage() -> None:
    text = _default_recipe()
    data = tomllib.loads(text)
    assert data["pipeline"]["stages"] == list(DEFAULT_ORDER)
    assert set(data["stages"]) == set(DEFAULT_ORDER)
    assert data["stages"]["script"]["target"] == "zh-hans"
    assert "max_bytes" in data["run"]
    assert text.count("\n# ") > 10  # commented, not bare


def test_recipe_round_trip_gives_the_default_output(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(_default_recipe(), encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["run", str(seeds), "-o", str(tmp_path / "a"), "-q"])
    cooked = runner.invoke(
        main, ["run", str(seeds), "-o", str(tmp_path / "b"), "-q", "--config", str(recipe)]
    )
    assert plain.exit_code == 0 and cooked.exit_code == 0, cooked.output
    for seed in sorted(seeds.iterdir()):
        assert (tmp_path / "a" / seed.name).read_bytes() == (
            tmp_path / "b" / seed.name
        ).read_bytes()
    report = json.loads((tmp_path / "b" / "report.json").read_text("utf-8"))
    assert report["pipeline"]["options"]["script"]["target"] == "zh-hans"


def test_command_line_overrides_the_recipe(tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text('[pipeline]\nstages = ["decode", "normalize"]\n', encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("第一行  \r\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", str(src), "-o", str(out), "--config", str(recipe), "--stages", "decode"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "a.txt").read_bytes() == "第一行  \r\n".encode()  # normalize did not run


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ('[stages.script]\ntargte = "zh-cn"\n', "stages.script.targte (line 2): unknown option"),
        ("[stages.script]\ntarget = 3\n", "stages.script.target (line 2): expected str"),
        ('[stages.script]\ntarget = "zh-xx"\n', "stages.script.target (line 2)"),
        (
            '[pipeline]\nstages = ["decode", "bogus"]\n',
            "pipeline.stages (line 2): unknown stage 'bogus'",
        ),
        ("[stagez]\n", "stagez (line 1): unknown table"),
        ("[stages.nope]\n", "stages.nope"),
        ("[pipeline\n", "not valid TOML"),
    ],
)
def test_bad_recipes_name_the_key_and_line(recipe: str, message: str) -> None:
    with pytest.raises(RecipeError) as info:
        load_recipe(recipe + "\n")
    assert message in str(info.value)


def test_bad_run_option_is_a_usage_error(tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text('[run]\nmax_bytes = "big"\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["run", str(SEEDS), "-o", str(tmp_path / "o"), "--config", str(recipe)]
    )
    assert result.exit_code == 2
    assert "run.max_bytes (line 2): expected int" in result.output


def test_library_takes_the_same_recipe() -> None:
    pipeline = Pipeline.from_config({"pipeline": {"stages": ["decode", "normalize"]}})
    assert pipeline.names == ["decode", "normalize"]
    assert pipeline(b"a\r\n").text == "a\n"
