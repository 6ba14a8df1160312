using System.CommandLine;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Syntax;

namespace LLMML.Cli.Commands;

/// <summary>A program to work on: its name, output SOp, vocabulary and mode.</summary>
internal sealed record RaspProgramChoice(string Name, SOp Program, IReadOnlyList<RaspValue> Vocabulary, bool Causal);

/// <summary>
/// The options every `rasp` command that compiles shares: a library program (--program) or a
/// .rasp file (--file), the vocabulary, the mode and the size limit.
/// </summary>
internal sealed class RaspProgramOptions
{
    public Option<string?> Program { get; } = new("--program", "-p") { Description = "Library program name (see `llmml rasp list`)." };
    public Option<FileInfo?> File { get; } = new("--file", "-f") { Description = "A .rasp program file." };
    public Option<string?> Vocabulary { get; } = new("--vocab") { Description = "Comma-separated vocabulary, e.g. 1,2,3 (default: the program's; required with --file)." };
    public Option<bool?> Causal { get; } = new("--causal") { Description = "Compile for causal evaluation (default: the program's mode, non-causal for files)." };
    public Option<long> MaxParameters { get; } = new("--max-params")
    {
        Description = "Refuse programs whose compiled model would have more weights than this.",
        DefaultValueFactory = _ => new RaspCompilerOptions { Vocabulary = [], MaxLength = 1 }.MaxParameters,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Program);
        command.Options.Add(File);
        command.Options.Add(Vocabulary);
        command.Options.Add(Causal);
        command.Options.Add(MaxParameters);
    }

    /// <summary>True when --program or --file was given.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(Program) is not null || parse.GetValue(File) is not null;

    /// <summary>
    /// The chosen program built for <paramref name="maxLength"/>. <paramref name="fallbackVocabulary"/>
    /// supplies a file's vocabulary when --vocab is absent (null: --vocab is required).
    /// </summary>
    public RaspProgramChoice Resolve(ParseResult parse, int maxLength, Func<IReadOnlyList<RaspValue>>? fallbackVocabulary = null)
    {
        var name = parse.GetValue(Program);
        var path = parse.GetValue(File);
        if ((name is null) == (path is null)) throw new ArgumentException("Give exactly one of --program NAME or --file PATH.");
        var entry = name is null ? null : ProgramCatalog.Get(name);
        var sop = entry is not null ? entry.Build(maxLength) : RaspScript.Load(path!.FullName);
        var vocabText = parse.GetValue(Vocabulary);
        var vocabulary = vocabText is not null ? RaspCliSupport.ParseVocabulary(vocabText)
            : entry?.Vocabulary ?? fallbackVocabulary?.Invoke()
            ?? throw new ArgumentException($"--vocab is required with --file: the tokens {path!.Name} reads, e.g. --vocab a,b,c.");
        if (vocabulary.Count == 0) throw new ArgumentException("--vocab lists no tokens.");
        return new RaspProgramChoice(name ?? Path.GetFileNameWithoutExtension(path!.Name), sop, vocabulary, parse.GetValue(Causal) ?? entry?.Causal ?? false);
    }

    /// <summary>Compiler options for a resolved program.</summary>
    public RaspCompilerOptions CompilerOptions(ParseResult parse, RaspProgramChoice choice, int maxLength, bool optimise = true) => new()
    {
        Vocabulary = choice.Vocabulary, MaxLength = maxLength, Causal = choice.Causal,
        FuseMaps = optimise, LinearSequenceMapDetection = optimise, MaxParameters = parse.GetValue(MaxParameters),
    };
}
