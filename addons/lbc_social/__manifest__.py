{
    "name": "LBC Social Network",
    "summary": "Professional social network: profiles, connections, conversations, groups, moderation",
    "version": "19.0.1.0.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_base"],
    "data": [],
    "installable": True,
}
