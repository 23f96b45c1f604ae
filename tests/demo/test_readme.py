"""The README starts with the two commands and lists the demo accounts as they are."""

import re

from buurthulp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_first_code_block_is_the_run_and_test_command():
    first_block = re.search(r"```\n(.*?)```", README, re.DOTALL).group(1)
    assert first_block.splitlines() == ["make run", "make test"]


def test_every_demo_account_is_in_the_table_with_the_demo_password():
    rows = [line for line in README.splitlines() if line.startswith("| ")]
    for _label, resident in DEMO_ACCOUNTS:
        row = next(r for r in rows if f"`{resident.email}`" in r)
        assert f"`{DEMO_PASSWORD}`" in row
