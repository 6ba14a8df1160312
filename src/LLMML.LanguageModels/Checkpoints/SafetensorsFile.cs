using LLMML.Foundation.Persistence;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Checkpoints;

/// <summary>
/// Reads and writes safetensors for checkpoints. Reading validates the whole header first (every tensor's byte range
/// inside the file, matching its dtype and shape, the ranges tiling the data without gaps or overlaps:
/// <see cref="SafetensorsFormat.ReadHeader"/>) and only then reads tensor bytes, one tensor at a time. Writing is our
/// own because TorchSharp.PyBridge's writer omits the <c>__metadata__ {"format": "pt"}</c> entry that transformers checks
/// when loading, and does not 8-byte-align the header.
/// </summary>
internal static class SafetensorsFile
{
    // One read buffer at most this large: bigger tensors are filled in slices along their first dimension.
    private const int ChunkBytes = 64 << 20;

    /// <summary>The validated header of one file (no tensor bytes read).</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        return SafetensorsFormat.ReadHeader(path);
    }

    /// <summary>All tensors of one file, on the CPU, in their stored dtype. The caller owns (disposes) them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var header = ReadHeader(path);
        foreach (var e in header.Entries)
            if (ScalarTypeOf(e.DType) is null)
                throw new InvalidDataException($"{path}: tensor '{e.Name}' has dtype {e.DType}, which TorchSharp cannot hold.");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            foreach (var e in header.Entries.OrderBy(e => e.Begin))
            {
                var tensor = empty(e.Shape, ScalarTypeOf(e.DType)!.Value);
                result.Add(e.Name, tensor);
                stream.Position = header.DataStart + e.Begin;
                Fill(stream, tensor, e.End - e.Begin, path, e.Name);
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    private static void Fill(Stream stream, Tensor tensor, long bytes, string path, string name)
    {
        try
        {
            if (bytes <= ChunkBytes || tensor.dim() == 0 || tensor.shape[0] <= 1)
            {
                if (bytes > Array.MaxLength)
                    throw new InvalidDataException($"{path}: tensor '{name}' has {bytes} bytes in one row, more than one read can hold.");
                var buffer = new byte[bytes];
                stream.ReadExactly(buffer);
                tensor.bytes = buffer;
                return;
            }
            var rows = tensor.shape[0];
            var rowBytes = bytes / rows;
            var step = Math.Max(1, ChunkBytes / rowBytes);
            for (long row = 0; row < rows; row += step)
            {
                using var slice = tensor.narrow(0, row, Math.Min(step, rows - row));
                Fill(stream, slice, slice.shape[0] * rowBytes, path, name);
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' ends past the end of the file (was it truncated while loading?).", e);
        }
    }

    private static ScalarType? ScalarTypeOf(string dtype) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => null,
    };

    /// <summary>Writes the tensors (converted to contiguous float32 on the CPU) in the given order.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var bytes = tensor.numel() * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(tensor.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write((ulong)padded);
            writer.Write(headerBytes);
            for (var i = headerBytes.Length; i < padded; i++) writer.Write((byte)' ');
            foreach (var (_, tensor) in tensors)
            {
                using var scope = NewDisposeScope();
                writer.Write(tensor.detach().to(CPU).to_type(ScalarType.Float32).contiguous().bytes);
            }
        });
    }
}
