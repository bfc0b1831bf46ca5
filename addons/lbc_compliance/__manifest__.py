{
    "name": "LBC Compliance",
    "summary": "Legal vigilance of providers (Code du travail L.8222-1)",
    "version": "19.0.1.0.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_base"],
    "data": [],
    "installable": True,
}
