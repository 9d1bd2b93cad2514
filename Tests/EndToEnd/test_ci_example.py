"""The CI example of issue #3 (examples/ci/), run as a CI job would run it: a git repository with a base
branch and a pull request's commit, the built ztpol, and GitHub's annotation and summary conventions."""
import json

import pytest

from conftest import ROOT, run, ztpol_path

SCRIPT = ROOT / "examples" / "ci" / "ztpol-pr-diff.sh"
SITE = """\
zone ra    10.66.0.1
zone web   10.66.0.2
service https  tcp/443
web -> ra  https
"""


def git(repo, *args):
    return run(["git", "-C", repo, *args], check=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path):
    """A repository whose `main` holds policies/site.zt and policies/same.zt."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "site.zt").write_text(SITE)
    (tmp_path / "policies" / "same.zt").write_text(SITE)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "empty")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    return tmp_path


def job(repo, *policies, **environment):
    summary = repo / "summary.md"
    env = {"PATH": "/usr/bin:/bin", "ZTPOL": ztpol_path(), "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(summary), "ZTPOL_BASE_NAME": "main", **environment}
    result = run([SCRIPT, "main", *policies], cwd=repo, env=env)
    return result, summary.read_text() if summary.exists() else ""


def test_a_change_is_annotated_and_summarised_and_exits_2(repo):
    (repo / "policies" / "site.zt").write_text(SITE.replace("tcp/443", "tcp/8443"))
    quality = repo / "quality.json"
    result, summary = job(repo, "policies/site.zt", "policies/same.zt", ZTPOL_CODEQUALITY=str(quality))
    assert result.returncode == 2, result.stderr
    assert "::warning file=policies/site.zt,title=ztpol::changes the ruleset of some zones" in result.stdout
    assert "policies/same.zt: no zone's ruleset changes" in result.stdout
    assert "+ add rule inet ztpol output_tcp_8443 ip saddr @web_v4 ip daddr @ra_v4 accept" in result.stdout
    assert "## ztpol diff: `main:policies/site.zt` → `policies/site.zt`" in summary
    assert "**2 of 2 zones change.**" in summary and "**No change** in 2 zones." in summary
    findings = json.loads(quality.read_text())
    assert [(f["location"]["path"], f["severity"]) for f in findings] == [("policies/site.zt", "info")]


def test_a_new_policy_is_compared_with_an_empty_one_and_a_broken_one_fails(repo):
    (repo / "policies" / "new.zt").write_text(SITE)
    result, summary = job(repo, "policies/new.zt")
    assert result.returncode == 2, result.stderr
    assert "apply creates table inet ztpol" in summary

    (repo / "policies" / "site.zt").write_text("zone web 10.66.0.300\n")
    result, _ = job(repo, "policies/site.zt", "policies/new.zt")
    assert result.returncode == 1
    assert "::error file=policies/site.zt,title=ztpol::ztpol check fails" in result.stdout


def test_no_change_exits_0(repo):
    result, summary = job(repo, "policies/site.zt")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "**No change** in 2 zones." in summary


def test_the_workflow_files_are_valid_yaml_and_call_the_script():
    yaml = pytest.importorskip("yaml")
    github = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    steps = github["jobs"]["policy-diff"]["steps"]
    assert any("examples/ci/ztpol-pr-diff.sh" in step.get("run", "") for step in steps)
    gitlab = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text())
    assert gitlab["ztpol-policy-diff"]["allow_failure"] == {"exit_codes": [2]}
    assert "examples/ci/ztpol-pr-diff.sh" in " ".join(gitlab["ztpol-policy-diff"]["script"])
