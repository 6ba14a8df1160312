using LLMML.Foundation.Persistence;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Checkpoints;

/// <summary>
/// Reads safetensors through TorchSharp.PyBridge and writes them itself: PyBridge's writer omits the
/// <c>__metadata__ {"format": "pt"}</c> entry that transformers checks when loading, and does not 8-byte-align the header.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>All tensors of one file, on the CPU, in their stored dtype. The caller owns (disposes) them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not a readable safetensors file: {e.Message}", e);
        }
    }

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
