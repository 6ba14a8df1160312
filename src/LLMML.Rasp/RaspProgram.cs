using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Syntax;

namespace LLMML.Rasp;

/// <summary>
/// A named RASP program: the entry point for users who do not build SOps themselves.
/// <code>
/// var p = RaspProgram.FromLibrary("reverse", maxLength: 5);
/// var compiled = p.Compile(new RaspCompilerOptions { Vocabulary = p.DefaultVocabulary!, MaxLength = 5 });
/// </code>
/// </summary>
public sealed class RaspProgram(string name, SOp output, IReadOnlyList<RaspValue>? defaultVocabulary = null, bool defaultCausal = false)
{
    public string Name { get; } = name;
    public SOp Output { get; } = output;
    /// <summary>The vocabulary a library program was written for (null for files and user SOps).</summary>
    public IReadOnlyList<RaspValue>? DefaultVocabulary { get; } = defaultVocabulary;
    public bool DefaultCausal { get; } = defaultCausal;

    /// <summary>A library program by name (see <see cref="ProgramCatalog"/>).</summary>
    public static RaspProgram FromLibrary(string name, int maxLength)
    {
        var e = ProgramCatalog.Get(name);
        return new RaspProgram(e.Name, e.Build(maxLength), e.Vocabulary, e.Causal);
    }

    /// <summary>A program in the .rasp text syntax.</summary>
    public static RaspProgram FromFile(string path) => new(Path.GetFileNameWithoutExtension(path), RaspScript.Load(path));

    /// <summary>Evaluates with the reference interpreter.</summary>
    public RaspValue[] Evaluate(IReadOnlyList<RaspValue> input, bool causal = false) => RaspEvaluator.Evaluate(Output, input, causal);

    /// <summary>Compiles to the intermediate form (assemble it with LLMML.Rasp.Torch's CompiledModel.Assemble).</summary>
    public CompiledProgram Compile(RaspCompilerOptions options) => RaspCompiler.Compile(Output, options, Name);
}
