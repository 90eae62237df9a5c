import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import {
  CreateUserDto,
  ListUsersQuery,
  UpdateUserDto,
  UserDto,
  UserPageDto,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

/** Accounts are managed by the office only. */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: ListUsersQuery): Promise<UserPageDto> {
    return this.users.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseId) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto);
  }

  /** Change a user; `active: false` or a new password also ends the user's sessions. */
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto);
  }
}
