using System.Text.Json;

namespace LLMML.TracrInjection.Transforms;

/// <summary>What a fitted injection did: program and sizes, teacher verification, steps, time and the last loss terms.</summary>
public sealed record InjectionReport(
    string Program, bool Baseline, int CompiledLayers, int CompiledWidth, int TeacherExamples, long TeacherPositions,
    long Steps, double Seconds, double FinalCe, double FinalKl, double FinalAlg)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static InjectionReport FromJson(string json) => JsonSerializer.Deserialize<InjectionReport>(json, Json)
        ?? throw new JsonException("The injection report is empty.");
}
