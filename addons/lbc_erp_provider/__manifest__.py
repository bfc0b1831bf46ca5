{
    "name": "LBC Provider ERP",
    "summary": "Provider ERP: collaborators, assignments, activity reports, invoicing",
    "version": "19.0.1.0.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_tender", "account", "l10n_fr_account"],
    "data": [],
    "installable": True,
}
