"""Starting points for profile authors: the JSON Schema of a profile, and an empty profile."""

from __future__ import annotations

import re
from typing import Any

from govrules import vocabulary as v
from govrules.errors import InvalidArgument
from govrules.families import ProfileSpec


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile file, from the pydantic model (unknown keys are not allowed)."""
    schema = ProfileSpec.model_json_schema()
    for definition in schema.get("$defs", {}).values():
        for name in _ONE_OR_MANY & set(definition.get("properties", {})):
            definition["properties"][name] = _one_or_many(definition["properties"][name])
    condition = schema.get("$defs", {}).get("Condition", {}).get("properties", {})
    for name in v.CONDITION_VALUES:
        if name in condition:
            condition[name] = _with_except(condition[name], v.CONDITION_VALUES[name])
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govrules profile"
    return schema


#: Keys where the loader takes one mapping or a list of them (a single `when:` reads as a list of one).
_ONE_OR_MANY = {"when", "document", "agenda"}


def _one_or_many(prop: dict[str, Any]) -> dict[str, Any]:
    options = prop.get("anyOf", [prop])
    arrays = [o for o in options if o.get("type") == "array" and "items" in o]
    if not arrays:
        return prop
    extra = {k: val for k, val in prop.items() if k not in ("anyOf", "type", "items", "minItems")}
    return {**extra, "anyOf": [*options, arrays[0]["items"]]}


def _with_except(prop: dict[str, Any], values: tuple[str, ...]) -> dict[str, Any]:
    """Also accept ``{except: [...]}``: every value of the vocabulary but those listed."""
    options = prop.get("anyOf", [prop])
    excluded = {
        "anyOf": [
            {"type": "string", "enum": list(values)},
            {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(values)}},
        ]
    }
    extra = {k: val for k, val in prop.items() if k != "anyOf"}
    except_form = {
        "type": "object",
        "properties": {"except": excluded},
        "required": ["except"],
        "additionalProperties": False,
    }
    return {**extra, "anyOf": [*options, except_form]}


_TEMPLATE = """\
# yaml-language-server: $schema=profile.schema.json
# A govrules profile: one city's 市人民政府工作规则 as data. See docs/profile-format.md.
# Every rule needs an id `{id}.<area>.<slug>` and a basis (article + verbatim quote ≤ 40 characters).

profile:
  id: {id}
  name: 示例市人民政府工作规则      # the official title
  city: 示例市
  province: 示例省
  document_number: null             # e.g. 某政发〔2024〕1号
  issued: 2024-01-01
  effective: 2024-01-01             # the text's 施行 date
  supersedes: null                  # what the text replaces, in words
  articles: 1                       # how many articles the source has

roles: []                           # city wording for shared roles, and city-specific roles

signing: []                         # who reviews and signs which document
# For example (docs/profile-format.md): a catch-all that any other route applying displaces
# (`fallback: true`), over every kind but those listed (`except`), and a rule that displaces it.
# signing:
#   - id: {id}.signing.other-documents
#     when:
#       issuer: municipal_government
#       kind: {{except: [minutes, agreement]}}
#     steps:
#       - action: sign
#         roles: [leader_in_charge]
#     fallback: true
#     basis:
#       - article: 1
#         quote: 以市政府名义制发的其他公文，由分管副市长签发
#   - id: {id}.signing.personnel
#     when: {{issuer: municipal_government, kind: personnel}}
#     steps:
#       - action: sign
#         roles: [mayor]
#     basis:
#       - article: 1
#         quote: 人事任免文件由市长签发
#         interpretation:           # a reading, in both languages (docs/readings.md)
#           zh: >-
#             本规则将……理解为……
#           en: >-
#             … is read as …
seals: []                           # who approves the use of each seal
substitution: []                    # who stands in for an absent official
deadlines: []                       # time limits
meetings: []                        # meeting kinds
compliance: []                      # what the text forbids
"""


def scaffold(profile_id: str) -> str:
    """An empty profile that validates, with comments saying what goes where."""
    if not isinstance(profile_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", profile_id):
        raise InvalidArgument(f"`id`: `{profile_id}` is not a profile id; use lowercase letters, digits and `_`")
    return _TEMPLATE.format(id=profile_id)
