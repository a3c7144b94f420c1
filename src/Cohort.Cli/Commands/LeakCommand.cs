using System.CommandLine;
using System.Globalization;
using System.Text;
using Cohort.Data;
using Cohort.Data.Fetch;
using Cohort.Federated.Leakage;
using Cohort.NN.Serialization;
using Cohort.NN.Zoo;
using Cohort.Privacy;
using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort leak --model M --data DIR --attack A --out DIR`: a gradient-leakage attack on a client's batch of
/// training images, after an optional defence; one JSON line of scores, and the images with an HTML page in --out.
/// </summary>
internal static class LeakCommand
{
    private const double DefaultDelta = 1e-5;

    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var model = CliOptions.RequiredText("--model", "M", "the zoo model whose gradient is attacked (at its initial weights from --seed, or --weights)");
        var data = CliOptions.RequiredText("--data", "DIR", "an MNIST-style folder (the four IDX files), or a fetched data set's name; batches come from its training split");
        var attack = CliOptions.RequiredText("--attack", string.Join("|", LeakageAttacks.All.Select(a => a.Name)), "the attack: " + string.Join("; ", LeakageAttacks.All.Select(a => $"{a.Name}: {a.Doc}")));
        var output = CliOptions.RequiredText("--out", "DIR", "where the original and reconstructed PNG images and index.html go");
        var batch = CliOptions.Int("--batch", "images in the client's batch (its gradient is the batch's mean)", 1, min: 1);
        var images = CliOptions.OptionalInt("--images", "how many images to attack, in batches (rounded up to whole batches; default one batch)", min: 1);
        var seed = CliOptions.Int("--seed", "seeds the model's initial weights, the images drawn, the defence's noise and the attack's start", 0, min: 0);
        var weights = CliOptions.Text("--weights", "FILE.safetensors", "a saved model to take the gradient at instead of the initial weights");
        var defence = CliOptions.Text("--defence", string.Join("|", IGradientDefence.Names), "what the client does to its gradient first: nothing, DP (clip and Gaussian noise) or top-k sparsification", "none");
        var iterations = CliOptions.OptionalInt("--iterations", $"optimisation steps (default dlg and idlg {DlgAttack.DefaultIterations} L-BFGS iterations, inverting {InvertingAttack.DefaultIterations} Adam steps)", min: 1);
        var lr = CliOptions.OptionalNumber("--lr", "R", $"inverting: Adam's step size (default {InvertingAttack.DefaultLearningRate})", 0);
        var tv = CliOptions.OptionalNumber("--tv", "W", $"inverting: the total-variation weight (default {InvertingAttack.DefaultTotalVariation})", 0);
        var hvpStep = CliOptions.Number("--hvp-step", "H", "dlg, idlg, inverting: the Hessian-vector product's finite-difference step relative to the parameters' norm", GradientProbe.DefaultRelativeStep, min: 0);
        var clip = CliOptions.Number("--clip", "C", "dp: the L2 norm the gradient is clipped to", 1, min: 0);
        var noise = CliOptions.OptionalNumber("--noise", "Z", "dp: the noise multiplier z (noise N(0, (zC)²) per coordinate; default 1, or from --epsilon)", 0);
        var epsilon = CliOptions.OptionalNumber("--epsilon", "E", "dp: calibrate z so that the one release is (ε, δ)-DP for the client (RDP accountant)", 0);
        var delta = CliOptions.Number("--delta", "D", "dp: the δ of the client's guarantee", DefaultDelta, min: 0);
        var fraction = CliOptions.Number("--topk", "F", "topk: the fraction of coordinates sent", 0.01, min: 0);
        attack.AcceptOnlyFromAmong([.. LeakageAttacks.All.Select(a => a.Name)]);
        defence.AcceptOnlyFromAmong([.. IGradientDefence.Names]);
        var command = new Command("leak", "a gradient-leakage attack on a client's batch: PSNR, SSIM and label accuracy as one JSON line, images and index.html in --out")
        {
            model, data, attack, output, batch, images, seed, weights, defence, iterations, lr, tv, hvpStep, clip, noise, epsilon, delta, fraction,
        };
        command.SetAction(parse =>
        {
            var settings = new LeakageSettings { Iterations = parse.GetValue(iterations), LearningRate = parse.GetValue(lr), TotalVariation = parse.GetValue(tv), HvpStep = parse.GetValue(hvpStep) };
            var chosen = Defence(parse.GetRequiredValue(defence), parse.GetValue(clip), parse.GetValue(noise), parse.GetValue(epsilon), parse.GetValue(delta), parse.GetValue(fraction));
            int b = parse.GetValue(batch);
            return Run(parse.GetRequiredValue(model), parse.GetRequiredValue(data), parse.GetRequiredValue(attack), settings, chosen, b, parse.GetValue(images) ?? b,
                (ulong)parse.GetValue(seed), parse.GetValue(weights), parse.GetRequiredValue(output), parse.GetValue(delta), io.Out);
        });
        return command;
    }

    private static int Run(string modelName, string dataPath, string attackName, LeakageSettings settings, IGradientDefence defence, int batch, int images,
        ulong seed, string? weights, string output, double delta, TextWriter stdout)
    {
        var data = LoadTrain(dataPath);
        var shape = data.SampleShape;
        var options = new ModelOptions { Channels = shape[0], Height = shape[1], Width = shape[2], Classes = data.Classes };
        var model = ModelZoo.Create(modelName, seed, options);
        if (weights is not null)
        {
            model.LoadSafetensors(weights);
        }
        var attack = LeakageAttacks.Create(attackName, settings);
        var outcome = LeakageExperiment.Run(model, data, attack, defence, batch, images, seed);
        LeakagePage.Write(output, $"{attackName} on {modelName} ({data.Name}), defence {defence.Title}", outcome, shape);
        stdout.WriteLine(Json(attackName, modelName, batch, seed, defence, delta, outcome));
        return 0;
    }

    /// <summary>dp: z from --noise, or calibrated from --epsilon (not both); topk: the fraction in (0, 1].</summary>
    private static IGradientDefence Defence(string name, double clip, double? noise, double? epsilon, double delta, double fraction)
    {
        if (name != "dp" && (noise is not null || epsilon is not null))
        {
            throw new UsageException($"options --noise and --epsilon belong to --defence dp, not '{name}'.");
        }
        switch (name)
        {
            case "dp" when noise is not null && epsilon is not null:
                throw new UsageException("option --noise and --epsilon both set the DP noise; give one.");
            case "dp" when clip <= 0:
                throw new UsageException("option --clip: the clipping norm must be positive.");
            case "dp":
                double z = epsilon is double e ? PrivacyOptions.Checked(() => Calibration.Noise(new Accountant(), 1, 1, e, delta)) : noise ?? 1;
                return new DpDefence(clip, z);
            case "topk" when fraction is <= 0 or > 1:
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"option --topk: the fraction {fraction} is not in (0, 1]."));
            case "topk":
                return new TopKDefence(fraction);
            default:
                return new NoDefence();
        }
    }

    /// <summary>The training split of an MNIST-style folder, or of a fetched data set named instead of a folder.</summary>
    private static Dataset LoadTrain(string path)
    {
        string folder = Directory.Exists(path) ? path : DataCache.Folder(path);
        if (!Directory.Exists(folder) || !ImageFolder.Holds(folder))
        {
            throw new FileNotFoundException($"--data {path}: not a folder holding the four MNIST-style IDX files (fetch one with 'cohort data fetch mnist').");
        }
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return ImageFolder.LoadSplit(folder, name, ImageFolder.TrainFiles[0], ImageFolder.TrainFiles[1]);
    }

    private static string Json(string attack, string model, int batch, ulong seed, IGradientDefence defence, double delta, LeakageOutcome outcome)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"attack\":\"{attack}\",\"model\":\"{model}\",\"batch\":{batch},\"seed\":{seed},\"defence\":\"{defence.Title}\"");
        foreach (var (key, value) in defence.Fields(delta))
        {
            json.Append(CultureInfo.InvariantCulture, $",\"{key}\":{PrivacyOptions.Number(value)}");
        }
        json.Append(CultureInfo.InvariantCulture, $",\"psnr\":{PrivacyOptions.Number(outcome.Psnr)},\"ssim\":{PrivacyOptions.Number(outcome.Ssim)},\"label_accuracy\":{PrivacyOptions.Number(outcome.LabelAccuracy)},\"images\":[");
        for (int i = 0; i < outcome.Images.Count; i++)
        {
            var image = outcome.Images[i];
            json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"psnr\":{PrivacyOptions.Number(image.Psnr)},\"ssim\":{PrivacyOptions.Number(image.Ssim)},\"label\":{image.Label},\"true_label\":{image.TrueLabel}}}");
        }
        return json.Append("]}").ToString();
    }
}
