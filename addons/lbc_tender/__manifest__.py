{
    "name": "LBC Tenders",
    "summary": "Calls for tenders, bids, selection and contracting",
    "version": "19.0.1.0.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_compliance", "sale_management", "purchase"],
    "data": [],
    "installable": True,
}
