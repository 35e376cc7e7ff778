/// Chart text sizes (pixels) and colours, after matplotlib's defaults scaled for a ~1000 px image.
enum Typography {
    static let titleSize = 18
    static let axisLabelSize = 15
    static let tickSize = 13
    static let legendSize = 13
    static let annotationSize = 12

    static let titleColor = Color(hex: 0x1A1A1A)
    static let labelColor = Color(hex: 0x262626)
    static let tickColor = Color(hex: 0x404040)
    static let spineColor = Color(hex: 0x4D4D4D)
    static let gridColor = Color(hex: 0xE6E6E6)
}
