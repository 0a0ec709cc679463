//! The file formats in which tables are imported and exported (导入、导出).

use crate::organization::string_enum;

string_enum! {
    /// A spreadsheet file format.
    TableFormat {
        /// Office Open XML workbook (Excel).
        Xlsx => "xlsx",
        /// UTF-8 comma-separated values with a byte-order mark, so Excel reads the Chinese.
        Csv => "csv",
    }
}

impl TableFormat {
    /// The media type a file of this format is sent with.
    pub fn media_type(self) -> &'static str {
        match self {
            TableFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            TableFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}
