//! Small genuine PDF files for attachments: one A4 page of Chinese text set
//! in STSong-Light, one of the CJK fonts every PDF reader supplies (so
//! nothing is embedded and a file stays around a kilobyte), with the
//! document's title in its metadata. The demo site's attached PDF is made
//! by [`pdf`] too; `demo_attachment_is_made_by_the_generator` in
//! `attachments.rs` keeps it so.

/// A PDF of one page holding `lines`, the first as a heading; `title` goes
/// in the document information.
pub(crate) fn pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT\n/F1 18 Tf\n72 770 Td\n22 TL\n");
    for (i, line) in lines.iter().enumerate() {
        if i == 1 {
            text.push_str("/F1 12 Tf\n0 -10 Td\n");
        }
        text.push_str(&format!("<{}> Tj T*\n", utf16_hex(line)));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light \
         /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>"
            .to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> \
         /FontDescriptor 6 0 R /DW 1000 >>"
            .to_string(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
         /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
         /CapHeight 880 /StemV 93 >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
        format!(
            "<< /Title <FEFF{}> /Producer (gongshi tests) >>",
            utf16_hex(title)
        ),
    ];
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            objects.len()
        )
        .as_bytes(),
    );
    out
}

/// UTF-16BE in hex, as PDF text strings and the UCS-2 CMap read it.
fn utf16_hex(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// The demo site's attachment: the stamped original of the 2024 list of
/// the market regulator, as the file's name says (`示市监规〔2024〕3号.pdf`).
pub(crate) fn demo() -> Vec<u8> {
    pdf(
        "示例市市场监管领域轻微违法行为免罚清单（2024年版）",
        &[
            "示例市市场监督管理局",
            "示例市市场监管领域轻微违法行为免罚清单（2024年版）",
            "示市监规〔2024〕3号",
            "本清单自2025年1月1日起施行。",
            "（演示站点的样例文件：清单事项以网页公布的为准。）",
        ],
    )
}
