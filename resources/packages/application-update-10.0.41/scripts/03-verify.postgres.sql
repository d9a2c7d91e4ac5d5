SELECT (SELECT count(*) FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'CUSTTABLE' AND column_name = 'CREDITRATING')
     * (SELECT count(*) FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = 'CUSTCREDITRATINGHISTORY');
