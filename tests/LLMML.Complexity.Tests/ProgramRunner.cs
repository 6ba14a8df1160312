using System.Collections.Concurrent;
using System.Reflection;
using LLMML.Complexity.Coding;
using LLMML.Complexity.Strategies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LLMML.Complexity.Tests;

/// <summary>
/// Compiles an inference program in memory with Roslyn, as `dotnet run file.cs` would (a console app with the SDK's
/// implicit usings, referencing the LLMML assemblies), and runs it in this process on a model directory, a payload
/// file and an inputs file, returning what it printed. In-process, so it sees the same kernels and thread count as
/// the strategy that coded the payload.
/// </summary>
internal static class ProgramRunner
{
    /// <summary>The SDK's implicit usings of a console app (Microsoft.NET.Sdk).</summary>
    public const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    private static readonly ConcurrentDictionary<string, MethodInfo> EntryPoints = new();
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);
    private static readonly object ConsoleLock = new();

    public static MethodInfo Compile(FixedInferenceCode code) => EntryPoints.GetOrAdd(code.Text, text =>
    {
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("program_" + Path.GetFileNameWithoutExtension(code.Name),
            [CSharpSyntaxTree.ParseText(text, parse, code.Name), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            References.Value, new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (!emitted.Success) throw new InvalidOperationException($"{code.Name} does not compile:\n{string.Join("\n", errors.Select(e => e.ToString()))}");
        return Assembly.Load(image.ToArray()).EntryPoint!;
    });

    /// <summary>Runs <paramref name="code"/> on the model directory, the payload and the prompts; returns its output lines.</summary>
    public static string[] Run(FixedInferenceCode code, string modelDirectory, CodedBits payload, IEnumerable<string> prompts)
    {
        var entry = Compile(code);
        var directory = Directory.CreateTempSubdirectory("llmml-program-");
        try
        {
            var payloadFile = Path.Combine(directory.FullName, "payload.bin");
            var inputsFile = Path.Combine(directory.FullName, "inputs.txt");
            File.WriteAllBytes(payloadFile, payload.Bytes);
            File.WriteAllLines(inputsFile, prompts);
            var output = new StringWriter();
            lock (ConsoleLock)
            {
                var previous = Console.Out;
                Console.SetOut(output);
                try
                {
                    entry.Invoke(null, [new[] { modelDirectory, payloadFile, inputsFile }]);
                }
                finally
                {
                    Console.SetOut(previous);
                }
            }
            return output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).SkipLast(1).ToArray();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static MetadataReference[] LoadReferences()
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        var references = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in framework.Concat(local))
        {
            var name = Path.GetFileName(path);
            if (references.ContainsKey(name)) continue;
            try
            {
                AssemblyName.GetAssemblyName(path);
            }
            catch (BadImageFormatException)
            {
                continue;
            }
            references[name] = MetadataReference.CreateFromFile(path);
        }
        return references.Values.ToArray();
    }
}
