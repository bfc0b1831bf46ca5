{
    "name": "LBC Client ERP",
    "summary": "Client ERP: referencing, approvals, report validation, invoicing, exports",
    "version": "19.0.1.0.0",
    "category": "LBC",
    "author": "LBC",
    "website": "https://www.lbc.example",
    "license": "LGPL-3",
    "depends": ["lbc_erp_provider", "account_edi_ubl_cii"],
    "data": [],
    "installable": True,
}
