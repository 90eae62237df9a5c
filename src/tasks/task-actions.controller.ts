import { applyDecorators, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import { ApiIfMatchHeader, RequestHeader } from '../common/http/request-header.js';
import { versionOf } from '../common/http/versioning.js';
import { AcknowledgementActions } from './actions/acknowledgement.js';
import { AssignmentActions } from './actions/assignment.js';
import { ClosureActions } from './actions/closure.js';
import { DisputeActions } from './actions/dispute.js';
import { ExtensionActions } from './actions/extension.js';
import { SubmissionActions } from './actions/submission.js';
import * as A from './dto/task-actions.dto.js';
import { TaskDetailDto } from './dto/task-output.dto.js';

const VERSIONED =
  '须带上调用方看到的任务 `version`（请求体或 `If-Match`），版本过期答 409 VERSION_CONFLICT 且不做任何改动；当前状态不允许时答 409 ILLEGAL_TRANSITION。';

const PROBLEMS: Parameters<typeof ApiProblems> = [400, 401, 403, 404, 409];
const UNPROCESSABLE: Parameters<typeof ApiProblems> = [...PROBLEMS, 422];

/** One action endpoint: `POST /tasks/:id/<path>`, 200 with the task as it is afterwards. */
function TaskAction(
  path: string,
  summary: string,
  who: string,
  problems: Parameters<typeof ApiProblems>,
): MethodDecorator {
  // Listed in reverse: stacked decorators apply bottom-up, applyDecorators top-down, and the
  // document keeps the order its responses were added in.
  return applyDecorators(
    ApiProblems(...problems),
    ApiOkResponse({ type: TaskDetailDto }),
    HttpCode(200),
    Post(path),
    ApiOperation({ summary, description: who + VERSIONED }),
  );
}

/**
 * Lifecycle actions as sub-resources of a task. Each answers the task as it is afterwards;
 * who may do what is the lifecycle table (src/tasks/task-lifecycle.ts): 403 for a wrong role,
 * 404 for another unit's task, 409 for a stale version or an action the state does not allow.
 */
@ApiTags('task actions')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@ApiIfMatchHeader()
@Controller('tasks/:id')
export class TaskActionsController {
  constructor(
    private readonly assignment: AssignmentActions,
    private readonly submission: SubmissionActions,
    private readonly extension: ExtensionActions,
    private readonly disputes: DisputeActions,
    private readonly closure: ClosureActions,
    private readonly acknowledgements: AcknowledgementActions,
  ) {}

  /** 签收 (unit): the unit signs for the task it was given, where 签收 is required. */
  @TaskAction(
    'acknowledgement',
    '签收',
    '仅责任单位（unit）的用户或 API 密钥，限本单位的任务。签收派给本单位的整改任务（状态仍为整改中）；未启用签收（ACK_REQUIRED）或已签收时答 409 TRANSITION_BLOCKED。提交整改反馈时未签收的任务同时记为签收。',
    PROBLEMS,
  )
  acknowledge(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.VersionedDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.acknowledgements.acknowledge(p, id, versionOf(dto.version, m));
  }

  /** 派遣 (office): give a pending task to a unit. */
  @TaskAction(
    'dispatch',
    '派遣',
    '仅创城办（admin）。把待派遣的任务派给一个责任单位，开始计算整改期限（待派遣 → 整改中）。',
    UNPROCESSABLE,
  )
  dispatch(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DispatchDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.assignment.dispatch(p, id, versionOf(dto.version, m), dto);
  }

  /** 改派 (office): move an assigned task to another unit, with a fresh deadline. */
  @TaskAction(
    'reassignment',
    '改派',
    '仅创城办（admin）。把整改中的任务改派给另一个责任单位，重新计算期限。',
    UNPROCESSABLE,
  )
  reassign(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ReassignDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.assignment.reassign(p, id, versionOf(dto.version, m), dto);
  }

  /** 整改反馈 (unit): report the fix with after-photos. Closes at once where the category allows. */
  @TaskAction(
    'submissions',
    '提交整改反馈',
    '仅责任单位（unit）的用户或 API 密钥，限本单位的任务。报告整改结果并附整改后照片（整改中 → 待复查）；类别为免复查或抽查未抽中时直接销号。',
    UNPROCESSABLE,
  )
  submit(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.SubmissionDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.submission.submit(p, id, versionOf(dto.version, m), dto);
  }

  /** 复查 (inspector, office): pass closes it (销号); fail returns it for 返工 with a new deadline. */
  @TaskAction(
    'checks',
    '复查',
    '创城办（admin）和督导员（inspector）。对待复查的任务复查：通过则销号（→ 已销号），不通过则退回返工并给出新期限（→ 整改中）。',
    PROBLEMS,
  )
  check(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.CheckDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.submission.check(p, id, versionOf(dto.version, m), dto);
  }

  /** 申请延期 (unit). The task stays assigned until the office decides. */
  @TaskAction(
    'extension-requests',
    '申请延期',
    '仅责任单位（unit）的用户或 API 密钥，限本单位的任务。申请延长整改期限，任务保持整改中，等待创城办审批。',
    PROBLEMS,
  )
  requestExtension(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ExtensionRequestDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.extension.request(p, id, versionOf(dto.version, m), dto);
  }

  /** Approve (new deadline, kept in the history) or refuse an extension request (office). */
  @TaskAction(
    'extension-requests/:requestId/decision',
    '审批延期申请',
    '仅创城办（admin）。批准（设定新期限，原期限留痕）或驳回延期申请。',
    PROBLEMS,
  )
  decideExtension(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Param('requestId', ParseId) requestId: string,
    @Body() dto: A.ExtensionDecisionDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.extension.decide(p, id, requestId, versionOf(dto.version, m), dto);
  }

  /** 申诉 (unit): the task is not ours. */
  @TaskAction(
    'disputes',
    '申诉',
    '仅责任单位（unit）的用户或 API 密钥，限本单位的任务。申诉任务不属于本单位，等待创城办处理。',
    PROBLEMS,
  )
  dispute(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DisputeDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.disputes.dispute(p, id, versionOf(dto.version, m), dto);
  }

  /** Uphold (back to dispatch) or reject (stays with the unit) a dispute (office). */
  @TaskAction(
    'disputes/:disputeId/decision',
    '处理申诉',
    '仅创城办（admin）。申诉成立则任务退回待派遣，不成立则仍由该单位整改。',
    PROBLEMS,
  )
  decideDispute(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Param('disputeId', ParseId) disputeId: string,
    @Body() dto: A.DisputeDecisionDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.disputes.decide(p, id, disputeId, versionOf(dto.version, m), dto);
  }

  /** 挂账 (office): park a task that needs engineering or a season. */
  @TaskAction(
    'hold',
    '挂账',
    '仅创城办（admin）。需工程或季节条件的任务暂停整改（整改中 → 挂账），不计入按期结案率的分母。',
    PROBLEMS,
  )
  hold(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.HoldDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.closure.hold(p, id, versionOf(dto.version, m), dto);
  }

  /** Take a parked task up again (office), with a fresh deadline. */
  @TaskAction(
    'resume',
    '恢复整改',
    '仅创城办（admin）。挂账的任务重新交单位整改，重新计算期限（挂账 → 整改中）。',
    PROBLEMS,
  )
  resume(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ResumeDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.assignment.resume(p, id, versionOf(dto.version, m), dto);
  }

  @TaskAction(
    'cancellation',
    '撤销任务',
    '仅创城办（admin）。撤销一个未结束的任务（→ 已撤销）。',
    PROBLEMS,
  )
  cancel(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.CancelDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.closure.cancel(p, id, versionOf(dto.version, m), dto);
  }

  /** Mark as a duplicate of another task (office); it is cancelled. */
  @TaskAction(
    'duplicate',
    '标记为重复',
    '仅创城办（admin）。标记为另一任务的重复件并撤销（→ 已撤销）。',
    PROBLEMS,
  )
  duplicate(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DuplicateDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.closure.markDuplicate(p, id, versionOf(dto.version, m), dto);
  }

  /** 反弹 (inspector, office): a closed problem is back; the task returns to its unit. */
  @TaskAction(
    'reopen',
    '反弹重办',
    '创城办（admin）和督导员（inspector）。已销号的问题出现反弹，任务退回原单位重新整改（已销号 → 整改中）。',
    PROBLEMS,
  )
  reopen(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ReopenDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.assignment.reopen(p, id, versionOf(dto.version, m), dto);
  }

  /** Override the deadline (office); the old and new deadline are kept in the history. */
  @TaskAction(
    'deadline',
    '调整整改期限',
    '仅创城办（admin）。直接改定整改中任务的期限，新旧期限都留痕。',
    PROBLEMS,
  )
  overrideDeadline(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DeadlineOverrideDto,
    @RequestHeader('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.assignment.overrideDeadline(p, id, versionOf(dto.version, m), dto);
  }
}
