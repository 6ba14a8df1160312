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
    private NpyArray(string dtype, int[] shape, object data)
    {
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>NumPy type descriptor, e.g. <c>&lt;i4</c>, <c>&lt;f4</c>, <c>|i1</c>, <c>&lt;U7</c>.</summary>
    public string DType { get; }

    /// <summary>Array shape.</summary>
    public int[] Shape { get; }

    /// <summary>The elements: long[], double[] or string[] depending on <see cref="DType"/>.</summary>
    public object Data { get; }

    /// <summary>Integer elements (any integer or boolean dtype).</summary>
    public long[] AsInt64() => Data as long[] ?? throw new InvalidDataException($"npy array of dtype {DType} is not integer.");

    /// <summary>Integer elements as int32, checked.</summary>
    public int[] AsInt32() => Array.ConvertAll(AsInt64(), v => checked((int)v));

    /// <summary>Floating or integer elements as double.</summary>
    public double[] AsDouble() => Data switch
    {
        double[] d => d,
        long[] l => Array.ConvertAll(l, v => (double)v),
        _ => throw new InvalidDataException($"npy array of dtype {DType} is not numeric."),
    };

    /// <summary>String elements (dtype <c>&lt;U</c>).</summary>
    public string[] AsStrings() => Data as string[] ?? throw new InvalidDataException($"npy array of dtype {DType} is not a unicode string array.");

    /// <summary>Reads every array of an <c>.npz</c> file, keyed by name without the <c>.npy</c> suffix.</summary>
    public static Dictionary<string, NpyArray> ReadNpz(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
            using var s = entry.Open();
            var name = entry.FullName[..^4];
            try { arrays[name] = Read(s); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{path}: array '{name}': {e.Message}", e); }
        }
        return arrays;
    }

    /// <summary>Reads one <c>.npy</c> stream.</summary>
    public static NpyArray Read(Stream stream)
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var bytes = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes[1..6].SequenceEqual("NUMPY"u8))
            throw new InvalidDataException("not an .npy stream (magic \\x93NUMPY missing).");
        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1) { headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]); headerStart = 10; }
        else if (major is 2 or 3) { headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])); headerStart = 12; }
        else throw new InvalidDataException($"unsupported .npy format version {major}.");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(headerStart, headerLength));
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shapeMatch = ShapeRegex().Match(header);
        if (!descr.Success || !shapeMatch.Success) throw new InvalidDataException($"unreadable .npy header: {header.Trim()}");
        if (fortran.Success && fortran.Groups[1].Value == "True") throw new InvalidDataException("Fortran-ordered arrays are not supported.");
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).ToArray();
        long count = 1;
        foreach (var d in shape) count *= d;
        var dtype = descr.Groups[1].Value;
        var payload = bytes[(headerStart + headerLength)..];
        return new NpyArray(dtype, shape, Decode(dtype, checked((int)count), payload));
    }

    private static object Decode(string dtype, int count, ReadOnlySpan<byte> p)
    {
        char order = dtype[0];
        char kind = dtype[1];
        int size = int.Parse(dtype.AsSpan(2));
        if (order == '>' && size > 1) throw new InvalidDataException($"big-endian dtype {dtype} is not supported.");
        long needed = kind == 'U' ? (long)count * size * 4 : (long)count * size;
        if (p.Length < needed) throw new InvalidDataException($"payload has {p.Length} bytes, {needed} expected for {count} × {dtype}.");
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
}
