using System.Collections;
using System.Globalization;

namespace LLMML.Citations.Graphs;

/// <summary>
/// The source ids of a graph's papers: strings, or integers (OpenAlex-scale Parquet edge lists) kept as one
/// <c>long</c> a paper and turned into strings only when read. The id → index table is built on the first lookup, not
/// with the graph: at 10M papers it is ~300 MB that a featurizing run never needs.
/// </summary>
internal sealed class PaperIdTable : IReadOnlyList<string>
{
    private readonly string[]? _strings;
    private readonly long[]? _numbers;
    private Dictionary<string, int>? _byString;
    private Dictionary<long, int>? _byNumber;

    public PaperIdTable(string[] ids) => _strings = ids;

    public PaperIdTable(long[] ids) => _numbers = ids;

    public int Count => _strings?.Length ?? _numbers!.Length;

    public string this[int index] => _strings is not null ? _strings[index] : _numbers![index].ToString(CultureInfo.InvariantCulture);

    public int IndexOf(string id)
    {
        if (_strings is not null)
        {
            var map = LazyInitializer.EnsureInitialized(ref _byString, () =>
            {
                var d = new Dictionary<string, int>(_strings.Length, StringComparer.Ordinal);
                for (int i = 0; i < _strings.Length; i++) d[_strings[i]] = i;
                return d;
            });
            return map.TryGetValue(id, out var i) ? i : -1;
        }
        // Only the canonical spelling of a number names a paper, as when the ids were strings.
        if (!long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number.ToString(CultureInfo.InvariantCulture) != id) return -1;
        var numbers = LazyInitializer.EnsureInitialized(ref _byNumber, () =>
        {
            var d = new Dictionary<long, int>(_numbers!.Length);
            for (int i = 0; i < _numbers.Length; i++) d[_numbers[i]] = i;
            return d;
        });
        return numbers.TryGetValue(number, out var index) ? index : -1;
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
