/// An sRGB colour with straight (not premultiplied) alpha, each component in 0…1.
public struct Color: Hashable, Sendable {
    /// Red, 0…1.
    public var red: Double
    /// Green, 0…1.
    public var green: Double
    /// Blue, 0…1.
    public var blue: Double
    /// Opacity, 0 (transparent) … 1 (opaque).
    public var alpha: Double

    /// A colour from its components, each in 0…1.
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from a 24-bit `0xRRGGBB` value, as in CSS `#RRGGBB`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255,
            alpha: alpha
        )
    }

    /// The same colour with its opacity replaced by `alpha`.
    public func opacity(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }
}

// MARK: - Okabe–Ito palette

extension Color {
    /// Okabe–Ito blue, `#0072B2`.
    public static let blue = Color(hex: 0x0072B2)
    /// Okabe–Ito orange, `#E69F00`.
    public static let orange = Color(hex: 0xE69F00)
    /// Okabe–Ito bluish green, `#009E73`.
    public static let green = Color(hex: 0x009E73)
    /// Okabe–Ito vermillion, `#D55E00`.
    public static let vermillion = Color(hex: 0xD55E00)
    /// Okabe–Ito reddish purple, `#CC79A7`.
    public static let purple = Color(hex: 0xCC79A7)
    /// Okabe–Ito sky blue, `#56B4E9`.
    public static let sky = Color(hex: 0x56B4E9)
    /// Okabe–Ito yellow, `#F0E442`.
    public static let yellow = Color(hex: 0xF0E442)
    /// Black.
    public static let black = Color(hex: 0x000000)
    /// A neutral mid grey, `#7F7F7F`, for reference series such as a schedule target.
    public static let gray = Color(hex: 0x7F7F7F)
    /// A dark grey, `#404040`, the default for reference lines.
    public static let darkGray = Color(hex: 0x404040)
    /// White.
    public static let white = Color(hex: 0xFFFFFF)

    /// The Okabe–Ito palette (Okabe & Ito, *Color Universal Design*, 2008), distinguishable
    /// under the common colour-vision deficiencies; series without a colour take these in order.
    public static let palette: [Color] = [.blue, .orange, .green, .vermillion, .purple, .sky, .yellow, .black]

    /// The given colours, with the palette's colours in order filling the `nil`s.
    static func assigning(_ colors: [Color?]) -> [Color] {
        var next = 0
        return colors.map { color in
            if let color { return color }
            defer { next += 1 }
            return palette[next % palette.count]
        }
    }
}
