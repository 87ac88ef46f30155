"""The demo county's reviewers of the community stars, as the default urban standard names their
lead departments (ratings/standard_defaults.py): a step of its own, beside the standard it
reads, right after the people's (cadres.demo)."""

from __future__ import annotations

import random

from cadres.demo import LEAD_DEPARTMENTS, accounts_create
from cadres.models import Role
from villages.models import Region

from .standard_defaults import RURAL, URBAN


def urban_lead_accounts(county: Region) -> list[dict]:
    """The community stars' reviewers, as the demo's urban standard names their leads: where it
    names the rural star's department (支部过硬星: 县委组织部) that department's reviewer holds the
    community star too; where it names others (宜业兴业星: 县人社局、县商务局) they get a login."""
    rural_leads = {code: lead for code, _name, lead, _ in RURAL}
    rural_accounts = dict(LEAD_DEPARTMENTS)
    accounts = []
    for code, _name, lead, _ in URBAN:
        if lead == rural_leads.get(code) or lead == rural_accounts.get(code):
            accounts.append({"username": f"lead_{code}", "full_name": f"{rural_accounts[code]}审核员",
                             "role": Role.LEAD_DEPARTMENT, "region": county, "star": f"urban:{code}",
                             "department": rural_accounts[code]})
        else:
            # Named after the department the rural stars do not already have a reviewer from.
            first = next((d for d in lead.split("、") if d not in rural_accounts.values()), lead.split("、")[0])
            accounts.append({"username": f"lead_urban_{code}", "full_name": f"{first}审核员",
                             "role": Role.LEAD_DEPARTMENT, "region": county, "star": f"urban:{code}",
                             "department": lead})
    return accounts


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    accounts = urban_lead_accounts(county)
    accounts_create(accounts)
    if stdout:
        stdout.write(f"  社区星审核：{len(accounts)} 个演示账号")
