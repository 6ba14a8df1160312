using System.IO.Compression;
using System.Text;

namespace LLMML.Citations.Tests.Support;

/// <summary>NumPy <c>.npy</c> streams and <c>.npz</c> archives written by hand, byte by byte, for loader tests.</summary>
internal static class NpyFiles
{
    /// <summary>A version-1 <c>.npy</c> file: magic, header padded to 64 bytes, payload.</summary>
    public static byte[] Npy(string header, byte[] payload)
    {
        var h = Encoding.ASCII.GetBytes(header);
        int total = 10 + h.Length + 1;
        int pad = (64 - total % 64) % 64;
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        ms.Write(BitConverter.GetBytes((ushort)(h.Length + pad + 1)));
        ms.Write(h);
        ms.Write(Enumerable.Repeat((byte)' ', pad).ToArray());
        ms.WriteByte((byte)'\n');
        ms.Write(payload);
        return ms.ToArray();
    }

    /// <summary>A header for a C-order array.</summary>
    public static string Header(string dtype, string shape) => $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape}, }}";

    /// <summary>Little-endian int64 payload.</summary>
    public static byte[] Int64(params long[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    /// <summary>Fixed-width unicode (<c>&lt;U{width}</c>) payload.</summary>
    public static byte[] Unicode(int width, params string[] values) =>
        [.. values.SelectMany(v => v.PadRight(width, '\0').Select(c => (int)c)).SelectMany(BitConverter.GetBytes)];

    /// <summary>Writes an <c>.npz</c> (a zip of <c>name.npy</c> entries).</summary>
    public static void Npz(string path, params (string Name, byte[] Npy)[] arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, npy) in arrays)
        {
            using var s = zip.CreateEntry(name + ".npy").Open();
            s.Write(npy);
        }
    }

    /// <summary>A minimal gnn-benchmark archive of three papers (0 cites nothing, 1 and 2 cite 0), with the given labels array.</summary>
    public static void Cora(string path, byte[] labels, byte[]? indptr = null) => Npz(path,
        ("node_names", Npy(Header("<U2", "(3,)"), Unicode(2, "p0", "p1", "p2"))),
        ("class_names", Npy(Header("<U1", "(2,)"), Unicode(1, "A", "B"))),
        ("labels", labels),
        ("adj_indptr", indptr ?? Npy(Header("<i8", "(4,)"), Int64(0, 2, 2, 2))),
        ("adj_indices", Npy(Header("<i8", "(2,)"), Int64(1, 2))));
}
