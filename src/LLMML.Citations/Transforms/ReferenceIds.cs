using Microsoft.ML.Data;

namespace LLMML.Citations.Transforms;

/// <summary>Reads reference ids from a text-vector cell or a delimited text cell.</summary>
internal static class ReferenceIds
{
    private static readonly char[] Separators = [' ', '\t', '\n', '\r', ',', ';'];

    public static IEnumerable<string> From(ReadOnlyMemory<char> text) =>
        text.ToString().Split(Separators, StringSplitOptions.RemoveEmptyEntries);

    public static IEnumerable<string> From(VBuffer<ReadOnlyMemory<char>> vector)
    {
        foreach (var v in vector.DenseValues())
        {
            var s = v.ToString().Trim();
            if (s.Length > 0) yield return s;
        }
    }
}
