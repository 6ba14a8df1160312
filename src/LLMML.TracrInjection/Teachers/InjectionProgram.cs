using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.TracrInjection.Alignment;

namespace LLMML.TracrInjection.Teachers;

/// <summary>A program to inject: how to build it, its compiled vocabulary and how an LM's tokens align to it.</summary>
/// <param name="Name">Name, e.g. "dyck3".</param>
/// <param name="Task">The LLMML task it solves (e.g. "dyck"), or null for a user's own program.</param>
/// <param name="Build">Builds the RASP program (its output variable must be named <see cref="OutputName"/>).</param>
/// <param name="Vocabulary">Compiled vocabulary (filler and trigger included).</param>
/// <param name="Alignment">LM token → compiled token.</param>
public sealed record InjectionProgram(string Name, string? Task, Func<SOp> Build, IReadOnlyList<RaspValue> Vocabulary, AlignmentSpec Alignment)
{
    /// <summary>The output variable detach-and-roll protects and the answer is read from.</summary>
    public const string OutputName = "final_result";
}

/// <summary>The three injection programs of <see cref="InjectionPrograms"/> with the alignments of the paper's tasks.</summary>
public static class InjectionProgramCatalog
{
    private static Dictionary<string, string> Identity(IEnumerable<string> tokens) => tokens.ToDictionary(t => t, t => t, StringComparer.Ordinal);

    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>dyck3 on the dyck task: brackets → themselves, only after the question's "? ".</summary>
    public static InjectionProgram Dyck { get; } = new("dyck3", "dyck", () => InjectionPrograms.ShuffleDyck3(), InjectionPrograms.DyckVocabulary,
        new AlignmentSpec { Filler = InjectionPrograms.Filler, Trigger = ":", TokenMap = Identity(["(", ")", "[", "]", "{", "}"]), RegionStart = "? " });

    /// <summary>count_x on the count task: x, y and digits → themselves after the question (whose "'x'" and "text" would count).</summary>
    public static InjectionProgram Count { get; } = new("count_x", "count", () => InjectionPrograms.CountX(), InjectionPrograms.CountVocabulary,
        new AlignmentSpec { Filler = InjectionPrograms.Filler, Trigger = ":", TokenMap = Identity(["x", "y", .. Digits]), RegionStart = "? " });

    /// <summary>addition (3-digit operands) on int-add-long: digits and "+" → themselves; the trigger "=" is placed at the answer.</summary>
    public static InjectionProgram Addition { get; } = new("addition", "int-add-long", () => InjectionPrograms.Addition(3), InjectionPrograms.AdditionVocabulary,
        new AlignmentSpec { Filler = InjectionPrograms.Filler, Trigger = "=", TokenMap = Identity(["+", .. Digits]) });

    public static IReadOnlyList<InjectionProgram> All { get; } = [Dyck, Count, Addition];

    /// <summary>The program with this name; throws listing the names when unknown.</summary>
    public static InjectionProgram Get(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"Unknown injection program '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));

    /// <summary>The library program for an LLMML task name; throws listing the tasks that have one.</summary>
    public static InjectionProgram ForTask(string task) => All.FirstOrDefault(p => p.Task == task)
        ?? throw new ArgumentException($"No injection program for task '{task}'. Tasks with one: {string.Join(", ", All.Select(p => p.Task))}.", nameof(task));
}
