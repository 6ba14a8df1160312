using System.Globalization;

namespace LLMML.Rasp.Language;

/// <summary>
/// One value a RASP sequence element can hold: None, a number or a text. Booleans are numbers
/// (true = 1, false = 0), as in Python where tracr's programs are written, so `tokens == "x"`
/// can be aggregated numerically without a conversion.
/// </summary>
public readonly struct RaspValue : IEquatable<RaspValue>, IComparable<RaspValue>
{
    private readonly double _number;
    private readonly string? _text;
    private readonly byte _kind; // 0 none, 1 number, 2 text

    private RaspValue(double number) { _number = number == 0 ? 0 : number; _text = null; _kind = 1; }
    private RaspValue(string text) { _number = 0; _text = text; _kind = 2; }

    /// <summary>The missing value (an Aggregate that selected nothing and has no default).</summary>
    public static readonly RaspValue None = default;

    public bool IsNone => _kind == 0;
    public bool IsNumber => _kind == 1;
    public bool IsText => _kind == 2;

    public double Number => IsNumber ? _number : throw new InvalidOperationException($"RASP value {this} is not a number.");
    public string Text => IsText ? _text! : throw new InvalidOperationException($"RASP value {this} is not a text.");

    /// <summary>Python-style truthiness: non-zero numbers and non-empty texts are true.</summary>
    public bool IsTrue => _kind switch { 1 => _number != 0, 2 => _text!.Length > 0, _ => false };

    public static implicit operator RaspValue(double v) => new(v);
    public static implicit operator RaspValue(int v) => new(v);
    public static implicit operator RaspValue(bool v) => new(v ? 1 : 0);
    public static implicit operator RaspValue(string v) => v is null ? None : new(v);
    public static explicit operator double(RaspValue v) => v.Number;
    public static explicit operator int(RaspValue v) => (int)Math.Round(v.Number);

    public static RaspValue operator +(RaspValue a, RaspValue b) =>
        a.IsText && b.IsText ? new RaspValue(a._text + b._text) : new RaspValue(a.Number + b.Number);
    public static RaspValue operator -(RaspValue a, RaspValue b) => a.Number - b.Number;
    public static RaspValue operator *(RaspValue a, RaspValue b) => a.Number * b.Number;
    public static RaspValue operator /(RaspValue a, RaspValue b) => a.Number / b.Number;
    public static RaspValue operator %(RaspValue a, RaspValue b) => ((a.Number % b.Number) + b.Number) % b.Number;
    public static RaspValue operator -(RaspValue a) => -a.Number;
    public static RaspValue operator !(RaspValue a) => !a.IsTrue;
    public static RaspValue operator &(RaspValue a, RaspValue b) => a.IsTrue && b.IsTrue;
    public static RaspValue operator |(RaspValue a, RaspValue b) => a.IsTrue || b.IsTrue;
    public static bool operator ==(RaspValue a, RaspValue b) => a.Equals(b);
    public static bool operator !=(RaspValue a, RaspValue b) => !a.Equals(b);
    public static bool operator <(RaspValue a, RaspValue b) => a.CompareTo(b) < 0;
    public static bool operator >(RaspValue a, RaspValue b) => a.CompareTo(b) > 0;
    public static bool operator <=(RaspValue a, RaspValue b) => a.CompareTo(b) <= 0;
    public static bool operator >=(RaspValue a, RaspValue b) => a.CompareTo(b) >= 0;

    public bool Equals(RaspValue other) => _kind == other._kind && _kind switch
    {
        1 => _number.Equals(other._number),
        2 => string.Equals(_text, other._text, StringComparison.Ordinal),
        _ => true,
    };

    public override bool Equals(object? obj) => obj is RaspValue v && Equals(v);

    public override int GetHashCode() => _kind switch { 1 => _number.GetHashCode(), 2 => StringComparer.Ordinal.GetHashCode(_text!), _ => 0 };

    /// <summary>Total order: None, then numbers ascending, then texts (ordinal).</summary>
    public int CompareTo(RaspValue other)
    {
        if (_kind != other._kind) return _kind.CompareTo(other._kind);
        return _kind switch
        {
            1 => _number.CompareTo(other._number),
            2 => string.CompareOrdinal(_text, other._text),
            _ => 0,
        };
    }

    public override string ToString() => _kind switch
    {
        1 => _number.ToString("R", CultureInfo.InvariantCulture),
        2 => _text!,
        _ => "None",
    };

    /// <summary>Reads a token as typed on a command line: numbers become numbers, anything else text.</summary>
    public static RaspValue Parse(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : s;
}
