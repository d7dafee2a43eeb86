package dev.slipway.engine.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Declarative rules models, format {@code rules}: an ordered list of conditions written in the Common Expression
 * Language (CEL), each with a score; the first rule whose condition holds scores the row, otherwise the default score
 * does. Meant for fallbacks such as "no move for more than 45 minutes outside a geofence with the ignition on → 0.9".
 * Every input column is a CEL {@code double} variable; a missing value is {@code NaN}, so comparisons on it are false.
 * See {@link RulesFile} for the file format.
 */
public final class RulesEngine implements Engine {
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();

    @Override
    public String format() {
        return "rules";
    }

    @Override
    public ModelInstance load(ModelArtifact artifact) {
        RulesFile file = RulesFile.read(artifact.file());
        CelCompilerBuilder builder =
                CelCompilerFactory.standardCelCompilerBuilder().setResultType(SimpleType.BOOL);
        for (String column : file.columns()) {
            builder.addVar(column, SimpleType.DOUBLE);
        }
        CelCompiler compiler = builder.build();
        List<String> problems = new ArrayList<>();
        List<RulesModel.CompiledRule> rules = new ArrayList<>();
        for (int i = 0; i < file.rules().size(); i++) {
            RulesFile.Rule rule = file.rules().get(i);
            CelValidationResult result = compiler.compile(rule.when());
            if (result.hasError()) {
                problems.add("rules[" + i + "] '" + rule.name() + "': "
                        + result.getErrorString().replace('\n', ' '));
                continue;
            }
            try {
                CelAbstractSyntaxTree ast = result.getAst();
                rules.add(new RulesModel.CompiledRule(rule.name(), RUNTIME.createProgram(ast), rule.score()));
            } catch (CelValidationException | CelEvaluationException e) {
                problems.add("rules[" + i + "] '" + rule.name() + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "rules model '" + artifact.file().getFileName() + "' does not compile: "
                            + String.join("; ", problems),
                    problems,
                    null);
        }
        return new RulesModel(file, rules);
    }
}
