using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace LLMML.Citations.Loading;

/// <summary>
/// One array read from a NumPy <c>.npy</c> file (format versions 1–3, C order, little-endian or byte-sized
/// integers and floats, and fixed-width unicode strings <c>&lt;U</c>), enough for the graph archives
/// (<c>cora.npz</c>) the project reads. An <c>.npz</c> is a zip of such files: see <see cref="ReadNpz"/>.
/// </summary>
public sealed partial class NpyArray
{
    private NpyArray(string source, string dtype, long[] shape, object data)
    {
        Source = source;
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>Where the array came from (file and entry), for messages.</summary>
    public string Source { get; }

    /// <summary>NumPy type descriptor, e.g. <c>&lt;i4</c>, <c>&lt;f4</c>, <c>|i1</c>, <c>&lt;U7</c>.</summary>
    public string DType { get; }

    /// <summary>Array shape.</summary>
    public long[] Shape { get; }

    /// <summary>The elements: long[], double[] or string[] depending on <see cref="DType"/>.</summary>
    public object Data { get; }

    /// <summary>Integer elements (any integer or boolean dtype).</summary>
    public long[] AsInt64() => Data as long[] ?? throw new InvalidDataException($"{Source}: dtype {DType} is not integer.");

    /// <summary>Integer elements as int32; a value outside int32 is an error naming the array and element.</summary>
    public int[] AsInt32()
    {
        var values = AsInt64();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = values[i] is >= int.MinValue and <= int.MaxValue ? (int)values[i]
                : throw new InvalidDataException($"{Source}: element {i} = {values[i]} does not fit a 32-bit integer.");
        return result;
    }

    /// <summary>Floating or integer elements as double.</summary>
    public double[] AsDouble() => Data switch
    {
        double[] d => d,
        long[] l => Array.ConvertAll(l, v => (double)v),
        _ => throw new InvalidDataException($"{Source}: dtype {DType} is not numeric."),
    };

    /// <summary>String elements (dtype <c>&lt;U</c>).</summary>
    public string[] AsStrings() => Data as string[] ?? throw new InvalidDataException($"{Source}: dtype {DType} is not a unicode string array.");

    /// <summary>Reads every array of an <c>.npz</c> file, keyed by name without the <c>.npy</c> suffix.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable zip, or an array is malformed; the message names the file and entry.</exception>
    public static Dictionary<string, NpyArray> ReadNpz(string path)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a readable .npz (zip) archive: {e.Message}", e); }
        using (zip)
        {
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                var name = entry.FullName[..^4];
                var source = $"{path}: array '{name}'";
                try
                {
                    using var s = entry.Open();
                    arrays[name] = Read(s, source, entry.Length);
                }
                catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{source}: {e.Message}", e);
                }
            }
            return arrays;
        }
    }

    /// <summary>Reads one <c>.npy</c> stream; <paramref name="source"/> names it in errors.</summary>
    /// <param name="stream">The stream, positioned at the magic string.</param>
    /// <param name="source">File (and entry) name for messages.</param>
    /// <param name="length">Bytes the stream holds, when known: a header promising more is refused before anything is allocated.</param>
    public static NpyArray Read(Stream stream, string source = "npy stream", long? length = null)
    {
        var preamble = new byte[12];
        if (ReadAtMost(stream, preamble.AsSpan(0, 10)) < 10 || preamble[0] != 0x93 || !preamble.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
            throw new InvalidDataException($"{source}: not an .npy stream (magic \\x93NUMPY missing).");
        int major = preamble[6];
        long headerLength, headerStart;
        if (major == 1) { headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble.AsSpan(8)); headerStart = 10; }
        else if (major is 2 or 3)
        {
            if (ReadAtMost(stream, preamble.AsSpan(10, 2)) < 2) throw new InvalidDataException($"{source}: .npy header is truncated.");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble.AsSpan(8));
            headerStart = 12;
        }
        else throw new InvalidDataException($"{source}: unsupported .npy format version {major}.");
        // A real header is a short dict literal; NumPy pads it to 64 bytes.
        if (headerLength > MaxHeaderBytes || (length is { } l && headerStart + headerLength > l))
            throw new InvalidDataException($"{source}: .npy header claims {headerLength:N0} bytes, more than the file holds or {MaxHeaderBytes:N0}.");
        var headerBytes = new byte[headerLength];
        if (ReadAtMost(stream, headerBytes) < headerLength) throw new InvalidDataException($"{source}: .npy header is truncated.");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shapeMatch = ShapeRegex().Match(header);
        if (!descr.Success || !shapeMatch.Success) throw new InvalidDataException($"{source}: unreadable .npy header: {header.Trim()}");
        if (fortran.Success && fortran.Groups[1].Value == "True") throw new InvalidDataException($"{source}: Fortran-ordered arrays are not supported.");
        var dtype = descr.Groups[1].Value;
        var (kind, size) = ParseDType(dtype, source);
        var shape = ParseShape(shapeMatch.Groups[1].Value, source);
        long count = 1;
        foreach (var d in shape)
            if (d != 0 && count > long.MaxValue / d) { count = -1; break; }
            else count *= d;
        long bytesPerElement = kind == 'U' ? 4L * size : size;
        long available = length is { } total ? total - headerStart - headerLength : long.MaxValue;
        if (count < 0 || count > Array.MaxLength || count > available / Math.Max(1, bytesPerElement))
            throw new InvalidDataException(
                $"{source}: shape ({string.Join(", ", shape)}) of {dtype} needs more than the {(length is null ? "supported" : $"{available:N0} payload")} bytes.");
        var payload = new byte[count * bytesPerElement];
        if (ReadAtMost(stream, payload) < payload.Length)
            throw new InvalidDataException($"{source}: payload is truncated ({count} × {dtype} expected).");
        try { return new NpyArray(source, dtype, shape, Decode(dtype, kind, size, (int)count, payload)); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
    }

    private const int MaxHeaderBytes = 1 << 20;

    private static (char Kind, int Size) ParseDType(string dtype, string source)
    {
        var m = DTypeRegex().Match(dtype);
        if (!m.Success) throw new InvalidDataException($"{source}: unsupported dtype '{dtype}' (expected e.g. <i8, <f4, |b1, <U7).");
        char order = m.Groups[1].Value[0], kind = m.Groups[2].Value[0];
        int size = int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        bool known = kind switch
        {
            'i' or 'u' => size is 1 or 2 or 4 or 8,
            'b' => size == 1,
            'f' => size is 4 or 8,
            'U' => size is > 0 and <= 1 << 16,
            _ => false,
        };
        if (!known) throw new InvalidDataException($"{source}: unsupported dtype '{dtype}'.");
        if (order == '>' && (size > 1 || kind == 'U')) throw new InvalidDataException($"{source}: big-endian dtype {dtype} is not supported.");
        return (kind, size);
    }

    private static long[] ParseShape(string text, string source)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]))
                throw new InvalidDataException($"{source}: shape ({text}) has a dimension '{parts[i]}' that is not a non-negative integer.");
        return shape;
    }

    private static int ReadAtMost(Stream stream, Span<byte> into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int read = stream.Read(into[total..]);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    private static object Decode(string dtype, char kind, int size, int count, ReadOnlySpan<byte> p)
    {
        switch (kind)
        {
            case 'i' or 'u' or 'b':
                var ints = new long[count];
                for (int i = 0; i < count; i++)
                {
                    var s = p.Slice(i * size, size);
                    ints[i] = (kind, size) switch
                    {
                        ('i', 1) => (sbyte)s[0],
                        ('u' or 'b', 1) => s[0],
                        ('i', 2) => BinaryPrimitives.ReadInt16LittleEndian(s),
                        ('u', 2) => BinaryPrimitives.ReadUInt16LittleEndian(s),
                        ('i', 4) => BinaryPrimitives.ReadInt32LittleEndian(s),
                        ('u', 4) => BinaryPrimitives.ReadUInt32LittleEndian(s),
                        ('i', 8) => BinaryPrimitives.ReadInt64LittleEndian(s),
                        ('u', 8) => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(s)),
                        _ => throw new InvalidDataException($"unsupported integer dtype {dtype}."),
                    };
                }
                return ints;
            case 'f':
                var doubles = new double[count];
                for (int i = 0; i < count; i++)
                {
                    var s = p.Slice(i * size, size);
                    doubles[i] = size switch
                    {
                        4 => BinaryPrimitives.ReadSingleLittleEndian(s),
                        8 => BinaryPrimitives.ReadDoubleLittleEndian(s),
                        _ => throw new InvalidDataException($"unsupported float dtype {dtype}."),
                    };
                }
                return doubles;
            case 'U':
                var strings = new string[count];
                var sb = new StringBuilder(size);
                for (int i = 0; i < count; i++)
                {
                    sb.Clear();
                    for (int c = 0; c < size; c++)
                    {
                        int cp = BinaryPrimitives.ReadInt32LittleEndian(p.Slice((i * size + c) * 4, 4));
                        if (cp == 0) break; // NumPy pads fixed-width strings with NUL
                        if (cp is < 0 or > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw new InvalidDataException($"element {i} holds {cp:X}, not a Unicode code point.");
                        sb.Append(char.ConvertFromUtf32(cp));
                    }
                    strings[i] = sb.ToString();
                }
                return strings;
            default:
                throw new InvalidDataException($"unsupported dtype {dtype}.");
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();

    [GeneratedRegex(@"^([<>|=])([iubfU])(\d{1,6})$")]
    private static partial Regex DTypeRegex();
}
