package io.gatehouse.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.ToolGrant.Approver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may approve a Supervised call, for every combination of rule and viewer. */
class ApproverRuleTest {

    @ParameterizedTest(name = "{0}: requester={1} admin={2} mayUseAction={3} -> {4}")
    @CsvSource({
            // The person who asked, and only they.
            "REQUESTER,    true,  false, false, true",
            "REQUESTER,    true,  true,  true,  true",
            "REQUESTER,    false, true,  true,  false",
            "REQUESTER,    false, false, true,  false",
            // Four eyes: never the person who asked, even an admin; anyone else who may use the action, or an admin.
            "OTHER_PERSON, true,  false, true,  false",
            "OTHER_PERSON, true,  true,  true,  false",
            "OTHER_PERSON, false, false, true,  true",
            "OTHER_PERSON, false, true,  false, true",
            "OTHER_PERSON, false, false, false, false",
            // Admins only.
            "ADMIN,        false, true,  false, true",
            "ADMIN,        true,  true,  true,  true",
            "ADMIN,        true,  false, true,  false",
            "ADMIN,        false, false, true,  false",
    })
    void theApproverRuleDecidesWhoMayApprove(Approver rule, boolean requester, boolean admin, boolean mayUseAction, boolean expected) {
        assertThat(Approvals.mayApprove(rule, requester, admin, mayUseAction)).isEqualTo(expected);
    }
}
