SELECT (SELECT count(*) FROM pragma_table_info('CUSTTABLE') WHERE name = 'CREDITRATING')
     * (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'CUSTCREDITRATINGHISTORY');
