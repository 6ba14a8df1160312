using LLMML.Rasp.Language;
using static LLMML.Rasp.Language.RaspOps;

namespace LLMML.Rasp.Library;

/// <summary>A named program with the vocabulary and mode it is meant for.</summary>
/// <param name="Name">CLI name, e.g. "reverse".</param>
/// <param name="Description">One line.</param>
/// <param name="Build">Builds the program for a maximum length (some programs use it).</param>
/// <param name="Vocabulary">Default vocabulary.</param>
/// <param name="Causal">Default mode (the injection programs are causal).</param>
/// <param name="IsInjection">One of the three injection programs.</param>
public sealed record CatalogEntry(string Name, string Description, Func<int, SOp> Build,
    IReadOnlyList<RaspValue> Vocabulary, bool Causal, bool IsInjection = false);

/// <summary>Every library program by name: tracr's library plus the three injection programs.</summary>
public static class ProgramCatalog
{
    private static RaspValue[] Texts(string s) => s.Select(c => (RaspValue)c.ToString()).ToArray();
    private static RaspValue[] Numbers(params int[] xs) => xs.Select(x => (RaspValue)x).ToArray();

    public static IReadOnlyList<CatalogEntry> All { get; } =
    [
        new("length", "length of the input at every position", _ => RaspLibrary.Length(), Texts("abc"), false),
        new("reverse", "the input reversed: abcd → dcba", _ => RaspLibrary.Reverse(Tokens), Texts("abcd"), false),
        new("hist", "how often each token occurs: abac → 2,1,2,1", _ => RaspLibrary.Hist(), Texts("abc"), false),
        new("sort_unique", "tokens sorted (keys unique)", _ => RaspLibrary.SortUnique(Tokens, Tokens), Numbers(1, 2, 3, 4, 5), false),
        new("sort", "tokens sorted, ties by position: 2,4,1,2 → 1,2,2,4", n => RaspLibrary.Sort(Tokens, Tokens, n, 1), Numbers(1, 2, 3, 4), false),
        new("sort_freq", "tokens by decreasing frequency: 2,4,2,1 → 2,2,4,1", n => RaspLibrary.SortFreq(n), Numbers(1, 2, 3, 4), false),
        new("frac_prevs", "fraction of tokens so far equal to x (numerical)", _ => RaspLibrary.FracPrevs(Tokens == "x"), Texts("xyz"), false),
        new("pair_balance", "fraction of ( so far minus fraction of ) (numerical)", _ => RaspLibrary.PairBalance(Tokens, "(", ")"), Texts("()a"), false),
        new("shuffle_dyck", "1 if () and {} are both balanced (shuffle-Dyck-2), else 0", _ => RaspLibrary.ShuffleDyck(["()", "{}"]), Texts("(){}"), false),
        new("shift_by", "tokens shifted right by 1, None-padded", _ => RaspLibrary.ShiftBy(1, Tokens), Texts("abc"), false),
        new("detect_pattern", "true where the pattern abc ends", _ => RaspLibrary.DetectPattern(Tokens, Texts("abc")), Texts("abc"), false),
        new("count_less_freq", "how many tokens occur at most 2 times", _ => RaspLibrary.CountLessFreq(2), Texts("abcd"), false),
        new("count", "count of a at every position", _ => RaspLibrary.Count(Tokens, "a"), Texts("abc"), false),
        new("nary_sequencemap", "(token + index + 2·token) mod 7 via packed binary SequenceMaps",
            _ => RaspLibrary.NarySequenceMap(a => (a[0] + a[1] + a[2]) % 7, Tokens, Indices, Map(x => 2 * x, Tokens)), Numbers(1, 2, 3), false),
        new("dyck3", "injection: shuffle-Dyck over ()[]{}; yes/no at the trigger ':'", _ => InjectionPrograms.ShuffleDyck3(),
            InjectionPrograms.DyckVocabulary, true, true),
        new("count_x", "injection: number of x before ':' written as digits from ':' on", _ => InjectionPrograms.CountX(),
            InjectionPrograms.CountVocabulary, true, true),
        new("addition", "injection: i+j= → digits of the sum from '=' on (operands up to 3 digits)", _ => InjectionPrograms.Addition(3),
            InjectionPrograms.AdditionVocabulary, true, true),
    ];

    /// <summary>The entry with this name; throws listing the names when unknown.</summary>
    public static CatalogEntry Get(string name) => All.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"Unknown RASP program '{name}'. Known: {string.Join(", ", All.Select(e => e.Name))}.", nameof(name));
}
