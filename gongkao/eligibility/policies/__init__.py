# The policies shipped with the code: one TOML file per policy id in this folder
# (the file's name is its id). A new notice is a new file here, no code.
from __future__ import annotations

from pathlib import Path

from gongkao.eligibility.policy import Policy
from gongkao.eligibility.policyfile import PolicyFileError, load_policy_text

FOLDER = Path(__file__).resolve().parent
DEFAULT_POLICY_ID = "2025-jiaozuo"


class UnknownPolicyError(KeyError):
    def __init__(self, policy_id: str) -> None:
        super().__init__(policy_id)
        self.policy_id = policy_id

    def __str__(self) -> str:
        known = "、".join(sorted(_POLICIES))
        return f"未知的政策 {self.policy_id!r}（可用：{known}）"


def load_policy_file(path: str | Path) -> Policy:
    """A policy from any file; PolicyFileError (with the file named) if invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyFileError([f"(文件): 无法读取 {path}：{error}"]) from None
    return load_policy_text(text)


def _load_shipped() -> dict[str, Policy]:
    policies: dict[str, Policy] = {}
    for path in sorted(FOLDER.glob("*.toml")):
        try:
            policy = load_policy_file(path)
        except PolicyFileError as error:
            lines = [f"{path.name} {line}" for line in error.errors]
            raise PolicyFileError(lines) from None
        if policy.policy_id != path.stem:
            raise PolicyFileError(
                [f"{path.name} policy_id: 须与文件名 {path.stem} 相同"]
            )
        policies[policy.policy_id] = policy
    return policies


_POLICIES: dict[str, Policy] = _load_shipped()


def get_policy(policy_id: str) -> Policy:
    try:
        return _POLICIES[policy_id]
    except KeyError:
        raise UnknownPolicyError(policy_id) from None


def list_policies() -> list[Policy]:
    return [_POLICIES[key] for key in sorted(_POLICIES)]


def shipped_policy_text(policy_id: str) -> str:
    """The file of a shipped policy, as it is (to copy or download)."""
    get_policy(policy_id)  # UnknownPolicyError for an id not shipped
    return (FOLDER / f"{policy_id}.toml").read_text(encoding="utf-8")
